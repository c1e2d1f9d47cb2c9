"""Who should see which record, worked out in the test from the requirements ("Users" in
REQUIREMENTS.md) and each model's declared keys — not through core.scope, so the scope
matrices (tests/api, tests/pages) check core.scope against an independent oracle.

admin, leader: everything; department: records of its industries, or of its own
organisation; township: records in its township, or of its own organisation; grid: records in
its grids; enterprise: records of its own enterprise. Directories: everyone. Areas: the
county's map for government roles, the own township / grid for the field roles, the areas an
enterprise lies in for its officer. Archived records: nobody (unless asked for, by admins).
"""
from citysafe.accounts.models import Role


def _follow(obj, path: str):
    """The id an ORM path such as "enterprise__industry" leads to on `obj`, or None."""
    if path == "id":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return obj.pk if last == "id" else getattr(obj, f"{last}_id")


def _follow_all(obj, path: str) -> set:
    """Every id a path leads to, where its last hop is many-valued (a warning's townships:
    a township sees a warning that covers it, among others)."""
    field = type(obj)._meta.get_field(path) if "__" not in path else None
    if field is not None and field.many_to_many:
        return set(getattr(obj, path).values_list("pk", flat=True))
    return {_follow(obj, path)}


def _area_visible(user, area) -> bool:
    if user.role in (Role.ADMIN, Role.LEADER, Role.DEPARTMENT):
        return True
    if user.role == Role.TOWNSHIP:
        return area.township_id is not None and area.township_id == user.organisation.area_id
    if user.role == Role.GRID:
        return user.grids.filter(pk=area.pk).exists()
    if user.role == Role.ENTERPRISE:
        ent = user.enterprise
        return area.pk in {ent.township_id, ent.village_id, ent.grid_id}
    return False


def should_see(user, obj) -> bool:
    keys = type(obj).scope
    if keys.public or user.role in (Role.ADMIN, Role.LEADER):
        return True
    if type(obj)._meta.label == "registry.Area":
        return _area_visible(user, obj)
    if keys.owner and _follow(obj, keys.owner) == user.pk:
        return True
    org = user.organisation
    if keys.organisation and org is not None and _follow(obj, keys.organisation) == org.pk \
            and user.role in (Role.DEPARTMENT, Role.TOWNSHIP):
        return True
    if user.role == Role.DEPARTMENT:
        industries = set(org.industries.values_list("pk", flat=True)) if org else set()
        return bool(keys.industry) and _follow(obj, keys.industry) in industries
    if user.role == Role.TOWNSHIP:
        return bool(keys.township) and org is not None and org.area_id in _follow_all(obj, keys.township)
    if user.role == Role.GRID:
        return bool(keys.grid) and _follow(obj, keys.grid) in set(user.grids.values_list("pk", flat=True))
    if user.role == Role.ENTERPRISE:
        return bool(keys.enterprise) and user.enterprise_id is not None \
            and _follow(obj, keys.enterprise) == user.enterprise_id
    return False


def live(model):
    queryset = model.objects.all()
    if any(f.name == "archived_at" for f in model._meta.concrete_fields):
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.order_by("id")


def split(user, model) -> tuple[list, list]:
    """(records the user should see, records they should not), live ones only."""
    inside, outside = [], []
    for obj in live(model):
        (inside if should_see(user, obj) else outside).append(obj)
    return inside, outside
