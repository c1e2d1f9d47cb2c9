"""The default supervising department (管行业必须管安全): a record of an industry without a
department named is supervised by the active county department mapped to that industry (the
first created, when several are). One rule for the services and the bulk import."""
from citysafe.accounts.models import Organisation


def default_supervising_departments(industry_ids=None) -> dict[int, int]:
    """industry id -> id of its default supervising department (industries without one are absent)."""
    rows = Organisation.industries.through.objects.filter(
        organisation__kind=Organisation.Kind.DEPARTMENT, organisation__archived_at__isnull=True)
    if industry_ids is not None:
        rows = rows.filter(industry_id__in=list(industry_ids))
    table: dict[int, int] = {}
    for organisation_id, industry_id in rows.order_by("organisation_id").values_list("organisation_id", "industry_id"):
        table.setdefault(industry_id, organisation_id)
    return table


def default_supervising_department(industry_id) -> int | None:
    """The id of `industry_id`'s default supervising department, or None."""
    return default_supervising_departments([industry_id]).get(industry_id) if industry_id else None


def apply_default_department(instance) -> None:
    """Give the record its industry's default department when it names none."""
    if instance.industry_id and not instance.supervising_department_id:
        instance.supervising_department_id = default_supervising_department(instance.industry_id)
