"""The hydrant record kind: schemas, form, workbook columns, declaration."""
from typing import Optional

from django import forms
from django.utils.translation import gettext_lazy
from ninja import Schema

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import MapPicker
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Coordinate, Id, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.registry.io.kinds.base import Column as Cell
from citysafe.registry.io.kinds.base import Kind, ParsedRow
from citysafe.registry.models import Area, Enterprise
from tests.kindapp import services
from tests.kindapp.models import Hydrant


class HydrantOut(Schema):
    id: int
    version: int
    code: str
    name: str
    status: choice_out(Hydrant.Status.choices)
    note: str
    township_id: int
    township_name: str
    grid_id: Optional[int]
    enterprise_id: Optional[int]
    enterprise_name: str
    lon: Optional[float]
    lat: Optional[float]


class _HydrantUpdate(Schema):
    version: Version
    code: Optional[Text] = None
    name: Optional[Text] = None
    status: Optional[choice_in(Hydrant.Status.choices)] = None
    note: Optional[Text] = None
    township_id: Optional[Id] = None
    grid_id: Optional[Id] = None
    enterprise_id: Optional[Id] = None
    lon: Optional[Coordinate] = None
    lat: Optional[Coordinate] = None


HydrantUpdate = patch_schema(_HydrantUpdate, Hydrant)


class HydrantCreate(HydrantUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    township_id: Id


class HydrantForm(RecordForm):
    model = Hydrant
    map_picker = MapPicker(lon="lon", lat="lat", draw=("point",))
    code = forms.CharField(label="编号", max_length=32)
    name = forms.CharField(label="名称", max_length=100)
    status = forms.ChoiceField(label="状态", choices=Hydrant.Status.choices)
    township_id = forms.ModelChoiceField(label="所属乡镇", queryset=Area.objects.filter(level="township"))
    grid_id = forms.ModelChoiceField(label="所属网格", queryset=Area.objects.filter(level="grid"), required=False)
    enterprise_id = forms.ModelChoiceField(label="所属企业", queryset=Enterprise.objects.all(), required=False)
    lon = forms.FloatField(label="经度", required=False)
    lat = forms.FloatField(label="纬度", required=False)

    FOLLOWS = {"grid_id": {"township_id": "township"}}   # the grid follows the township
    PICKERS = frozenset({"enterprise_id"})               # 5,000 enterprises: typed ahead, not a <select>


class HydrantWorkbook(Kind):
    name, label, model, resource = "hydrants", "消防栓", Hydrant, "hydrants"
    key_headers = ("编号",)
    columns = [Cell("编号", "code", "必填，唯一", required=True, text=True), Cell("名称", "name", "必填", required=True),
               Cell("所属乡镇代码", "township_id", "必填", required=True, table="township", text=True)]
    export_fields = ("code", "name", "township_id")

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "code", "name")
        self._code(row, cells, "township_id", lambda c: book.area_id(c, "township"), "township_id", "乡镇代码")
        row.key = row.data.get("code") or None
        return row

    def existing(self, key, book):
        return Hydrant.objects.filter(code=key).values_list("pk", flat=True).first()

    def remember(self, key, instance, book):
        pass

    def export_row(self, r, book):
        return [r["code"], r["name"], book.area_code.get(r["township_id"], "")]


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level="township")).order_by("code")]


def _grids(user, **within):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level="grid", **within)).order_by("code")]


HYDRANTS = RecordKind(
    key="hydrants", singular="Hydrant", model=Hydrant, title=gettext_lazy("消防栓"), namespace="kindapp", export_url="io:export",
    search=("name", "code"), filters=("township_id", "grid_id", "status"), ordering=("id", "code", "name"),
    related=("township", "enterprise"),
    item=HydrantOut, create_in=HydrantCreate, update_in=HydrantUpdate,
    create=services.create_hydrant, update=services.update_hydrant, form=HydrantForm,
    columns=[Column("名称", lambda o: o.name, "name"), Column("编号", lambda o: o.code, "code"),
             Column("所属乡镇", lambda o: o.township, "township")],
    page_filters=[Filter("township_id", "乡镇", _townships),
                  Filter("grid_id", "网格", _grids, follows={"township_id": "township"}), Filter("status", "状态", fixed(Hydrant.Status.choices))],
    io=HydrantWorkbook(),
)


def grant_permissions():
    """Who may write hydrants (core.scope's tables): township officers and admins, every field."""
    from citysafe.accounts.models import Role

    roles, label = {Role.ADMIN, Role.TOWNSHIP}, "kindapp.Hydrant"
    actions = dict.fromkeys((scope.Action.CREATE, scope.Action.CHANGE, scope.Action.ARCHIVE), roles)
    limits = dict.fromkeys(roles, scope.EVERY_FIELD)
    if hasattr(scope, "register_permissions"):  # once apps register their tables (issue 7, layering)
        scope.register_permissions(label, actions)
        scope.register_field_limits(label, limits)
    else:
        scope.WRITE_PERMISSIONS[label], scope.FIELD_LIMITS[label] = actions, limits
