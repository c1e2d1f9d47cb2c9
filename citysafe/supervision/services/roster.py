"""The inspector roster (执法检查人员名录库) and registered relations to enterprises (回避)."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.validation import check_phone
from citysafe.registry.models import Enterprise
from citysafe.supervision.models import Inspector, InspectorLink, Qualification
from citysafe.supervision.services.common import department_for, field_error


@transaction.atomic
def add_inspector(actor, *, user_id: int, qualification: str, certificate_number: str, phone: str = "",
                  department_id=None, is_synthetic: bool = False) -> Inspector:
    scope.require(actor, Inspector, scope.Action.CREATE)
    department = department_for(actor, Inspector, department_id)
    user = get_user_model().objects.filter(pk=user_id, is_active=True, organisation=department).first()
    if user is None:
        raise field_error("user_id", _("执法人员须为本部门的在职账户"), "not_found")
    if qualification not in Qualification.values:
        raise field_error("qualification", _("执法资格类别不在可选范围内"), "invalid")
    if not (certificate_number or "").strip():
        raise field_error("certificate_number", _("须填写执法证号"), "required")
    if phone:
        check_phone(phone)
    inspector = Inspector(user=user, department=department, name=user.display_name, phone=phone,
                          qualification=qualification, certificate_number=certificate_number.strip(),
                          is_synthetic=is_synthetic)
    try:
        with transaction.atomic():
            inspector.save()
    except IntegrityError:
        raise field_error("certificate_number", _("该账户已在名录库中，或执法证号重复"), "duplicate") from None
    record_change(actor=actor, action="create", instance=inspector, before=None, after=snapshot(inspector))
    return inspector


@transaction.atomic
def link_inspector(actor, *, inspector_id: int, enterprise_id: int, relation: str, note: str = "") -> InspectorLink:
    """Register a relation: the inspector is never drawn for that enterprise."""
    scope.require(actor, InspectorLink, scope.Action.CREATE)
    inspector = scope.narrow(actor, Inspector.objects.all()).filter(pk=inspector_id).first()
    if inspector is None:
        raise field_error("inspector_id", _("执法人员不存在或不在您的数据范围内"), "not_found")
    if not Enterprise.objects.filter(pk=enterprise_id, archived_at__isnull=True).exists():
        raise field_error("enterprise_id", _("企业不存在"), "not_found")
    if relation not in InspectorLink.Relation.values:
        raise field_error("relation", _("关系类别不在可选范围内"), "invalid")
    link, _created = InspectorLink.objects.update_or_create(
        inspector=inspector, enterprise_id=enterprise_id, defaults={"relation": relation, "note": note[:200]})
    record_change(actor=actor, action="create", instance=link, before=None, after=snapshot(link))
    return link
