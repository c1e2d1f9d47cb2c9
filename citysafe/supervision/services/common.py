"""Pieces the supervision services share: the department an actor may act for, field errors."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citysafe.core import scope


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def department_for(actor, model, department_id):
    """The department `actor` may plan or draw for (`references` of `model`: its own
    organisation; admins: any department). Missing or another's: a field error."""
    targets = scope.reference_targets(actor, model, "department")
    if department_id is None and targets.count() == 1:
        return targets.get()
    department = targets.filter(pk=department_id).first() if isinstance(department_id, int) else None
    if department is None:
        raise field_error("department_id", _("执法部门须为您所在的县直部门"), "not_allowed")
    return department


def enterprises_of(department):
    """The enterprises a department supervises: those of the industries mapped to it (管行业必须管安全),
    in its own county."""
    from citysafe.registry.models import Enterprise

    return scope.in_county_of(department, Enterprise.objects.filter(archived_at__isnull=True,
                                                                    industry__in=department.industries.all()))
