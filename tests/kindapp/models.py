from django.db import models

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields


class Hydrant(ArchivableModel):
    class Status(models.TextChoices):
        WORKING = "working", "完好"
        BROKEN = "broken", "损坏"

    code = models.CharField("编号", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.WORKING)
    note = models.CharField("备注", max_length=200, blank=True)
    lon = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name="所属网格", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name="所属企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(township="township", grid="grid", enterprise="enterprise")
    references = {"township": Ref.visible(level="township"), "grid": Ref.visible(level="grid"),
                  "enterprise": Ref.visible()}

    def __str__(self):
        return self.name
