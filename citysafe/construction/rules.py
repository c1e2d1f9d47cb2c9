"""Rules the record kinds' services apply on every create and update (kinds.py hands them to the
generated services as `check`): keys derived from the project, dates in order, phones well formed."""
from django.utils.translation import gettext as _

from citysafe.construction.models import CONSTRUCTION_INDUSTRY, PermitRule
from citysafe.core.validation import check_phone
from citysafe.registry.models import Industry


def _construction_industry_id():
    return Industry.objects.filter(code=CONSTRUCTION_INDUSTRY).values_list("pk", flat=True).first()


def check_project(instance, data, errors, actor):
    """The project lies where its site lies; the industry is always 房屋建筑和市政工程."""
    if instance.site_id:
        instance.township_id, instance.grid_id = instance.site.township_id, instance.site.grid_id
    instance.industry_id = _construction_industry_id()
    if instance.start_on and instance.planned_end_on and instance.planned_end_on < instance.start_on:
        errors.add("planned_end_on", _("计划竣工日期不能早于开工日期"), "date_order")
    for field in ("project_manager_phone", "safety_officer_phone"):
        if field in data and getattr(instance, field):
            errors.run(check_phone, getattr(instance, field), field=field)


def _copy_project_keys(instance):
    project = instance.project
    instance.township_id, instance.industry_id = project.township_id, project.industry_id
    instance.enterprise_id = project.contractor_id


def check_work(instance, data, errors, actor):
    if instance.project_id:
        _copy_project_keys(instance)
    if instance.scale_value is not None and instance.scale_value < 0:
        errors.add("scale_value", _("规模数值不能为负数"), "min_value")


def check_permit(instance, data, errors, actor):
    """A permit's window is in order and no longer than its kind allows (PermitRule); the
    applicant is whoever first saves it."""
    if instance.project_id:
        _copy_project_keys(instance)
    if instance.pk is None and getattr(actor, "pk", None):
        instance.applicant_id = actor.pk
    if instance.valid_from and instance.valid_to:
        if instance.valid_to <= instance.valid_from:
            errors.add("valid_to", _("有效期至必须晚于有效期自"), "date_order")
        rule = PermitRule.objects.filter(kind=instance.kind).first()
        hours = (instance.valid_to - instance.valid_from).total_seconds() / 3600
        if rule and hours > rule.max_hours:
            errors.add("valid_to", _("%(kind)s作业票有效期不得超过%(hours)s小时（%(basis)s）") % {
                "kind": rule.get_kind_display(), "hours": rule.max_hours, "basis": rule.basis}, "window_too_long")


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits (hand-written: one slice)."""
    return phone if len(phone) < 8 else phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
