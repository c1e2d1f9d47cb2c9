"""Questions from the public (Q&A): asked on a public form, answered by staff, and the good
answers published as the FAQ. State changes only through services.questions (audited)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import PUBLIC, Ref


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        PUBLISHED = "published", _("已公开")
        REJECTED = "rejected", _("不予答复")

    asked_at = models.DateTimeField(_("提问时间"), auto_now_add=True)
    asker_name = models.CharField(_("称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    question = models.TextField(_("问题"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    citations = models.JSONField(_("引用条款"), default=list, blank=True)
    # Salted hash of the asker's address: the public form's rate limit counts it, nobody reads it.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    scope = PUBLIC
    references = {"answered_by": Ref.system()}

    class Meta:
        verbose_name = _("咨询问答")
        verbose_name_plural = _("咨询问答")
        ordering = ["-asked_at"]

    def __str__(self):
        return self.question[:40]
