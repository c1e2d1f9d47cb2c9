"""Who a list entry's steps tell, through the outbox (notifications app): the subject's own
officers when it is notified (告知), and the departments concerned (the criterion's joint-
punishment departments and the enterprise's supervising department) when it is published,
repaired or expires (联合惩戒, 安全生产法 第七十八条)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation, User
from citysafe.notifications.services import notify_many


def _link(entry) -> str:
    return reverse("credit:detail", args=("credit-entries", entry.pk))


def department_codes(entry) -> list[str]:
    codes = [c.strip() for c in entry.criterion.joint_departments.replace("，", ",").split(",") if c.strip()]
    supervising = entry.enterprise.supervising_department
    if supervising is not None:
        codes.append(supervising.code)
    return list(dict.fromkeys(codes))


def department_users(entry):
    organisations = Organisation.objects.filter(code__in=department_codes(entry), archived_at__isnull=True)
    return list(User.objects.filter(organisation__in=organisations, is_active=True).order_by("pk"))


def tell_subject(ctx) -> None:
    entry = ctx.instance
    officers = list(User.objects.filter(enterprise_id=entry.enterprise_id, is_active=True).order_by("pk"))
    if officers:
        notify_many(officers, kind="credit_notice", link=_link(entry), dedupe_key=f"workflow-event:{ctx.event.pk}",
                    subject=_("拟列入安全生产严重失信主体名单告知：%(code)s") % {"code": entry.code},
                    body=_("列入情形：%(criterion)s。您可在%(days)s日内提出陈述、申辩。") % {
                        "criterion": entry.criterion.name, "days": entry.criterion.objection_days})


def tell_departments(ctx) -> None:
    entry, step = ctx.instance, ctx.transition.name
    recipients = department_users(entry)
    if not recipients:
        return
    subjects = {
        "publish": _("联合惩戒通报：%(name)s 列入安全生产严重失信主体名单"),
        "approve_repair": _("信用修复通报：%(name)s 已移出安全生产严重失信主体名单"),
        "expire": _("期满移出通报：%(name)s 已移出安全生产严重失信主体名单"),
    }
    body = _("名单编号%(code)s；列入情形：%(criterion)s；公布日期：%(published)s；公布期满：%(expires)s。") % {
        "code": entry.code, "criterion": entry.criterion.name, "published": entry.published_on,
        "expires": entry.expires_on}
    if step == "publish":
        body += _("请依法采取加大执法检查频次、暂停项目审批、上调有关保险费率、行业或职业禁入等联合惩戒措施（安全生产法第七十八条）。")
    notify_many(recipients, kind=f"credit_{step}", link=_link(entry), dedupe_key=f"workflow-event:{ctx.event.pk}",
                subject=subjects[step] % {"name": entry.enterprise.name}, body=body)
