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


def _risk_keys(obj) -> dict | None:
    """Where a risk record lies, worked out from what it is attached to — the enterprise, place
    or area of a risk point (its assessments and measures follow it), the enterprise and site
    of a major hazard unit (its inventory rows follow it) — not from the keys the risks
    services copy onto the record, so the matrix also checks that copying."""
    label = type(obj)._meta.label
    if label in ("risks.Assessment", "risks.ControlMeasure"):
        obj, label = obj.risk_point, "risks.RiskPoint"
    if label == "risks.Inventory":
        obj, label = obj.installation, "risks.MajorHazardInstallation"
    if label == "risks.MajorHazardInstallation":
        return {"township": obj.township_id, "grid": obj.grid_id, "industry": obj.enterprise.industry_id,
                "enterprise": obj.enterprise_id}
    if label != "risks.RiskPoint":
        return None
    if obj.enterprise_id:
        e = obj.enterprise
        return {"township": e.township_id, "grid": e.grid_id, "industry": e.industry_id, "enterprise": e.pk}
    if obj.place_id:
        p = obj.place
        industry = p.industry_id or (p.owner_enterprise.industry_id if p.owner_enterprise_id else None)
        return {"township": p.township_id, "grid": p.grid_id, "industry": industry, "enterprise": p.owner_enterprise_id}
    a = obj.area
    return {"township": a.township_id if a.level != "county" else None, "grid": a.pk if a.level == "grid" else None,
            "industry": None, "enterprise": None}


def _hazard_keys(obj) -> dict | None:
    """Where a hidden hazard lies, from what it belongs to (an enterprise, place, area or risk
    point — the risk point's own rule above), not from the keys the hazards services copy."""
    if type(obj)._meta.label != "hazards.Hazard":
        return None
    if obj.risk_point_id:
        return _risk_keys(obj.risk_point)
    keys = None
    for attached in ("enterprise", "place", "area"):
        if getattr(obj, f"{attached}_id"):
            keys = _attached_keys(getattr(obj, attached), attached)
    if keys is not None and obj.area_id and obj.area.level != "grid" and obj.grid_id:
        # a point picked inside a township/village/county area finds its grid (and that grid's township)
        keys["grid"], keys["township"] = obj.grid_id, obj.grid.township_id
    return keys


def _attached_keys(parent, attached: str) -> dict:
    if attached == "enterprise":
        return {"township": parent.township_id, "grid": parent.grid_id, "industry": parent.industry_id,
                "enterprise": parent.pk}
    if attached == "place":
        industry = parent.industry_id or (parent.owner_enterprise.industry_id if parent.owner_enterprise_id else None)
        return {"township": parent.township_id, "grid": parent.grid_id, "industry": industry,
                "enterprise": parent.owner_enterprise_id}
    return {"township": parent.township_id if parent.level != "county" else None,
            "grid": parent.pk if parent.level == "grid" else None, "industry": None, "enterprise": None}


def _sees_risk_record(user, keys: dict) -> bool:
    org = user.organisation
    if user.role == Role.DEPARTMENT:
        return keys["industry"] is not None and org is not None and org.industries.filter(pk=keys["industry"]).exists()
    if user.role == Role.TOWNSHIP:
        return org is not None and keys["township"] is not None and keys["township"] == org.area_id
    if user.role == Role.GRID:
        return keys["grid"] is not None and user.grids.filter(pk=keys["grid"]).exists()
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id is not None and keys["enterprise"] == user.enterprise_id
    return False


def should_see(user, obj) -> bool:
    keys = type(obj).scope
    if keys.public or user.role in (Role.ADMIN, Role.LEADER):
        return True
    if user.role in keys.all_rows_for and type(obj)._meta.label != "registry.Area":
        return True  # e.g. departments see every emergency resource (they coordinate county-wide)
    if type(obj)._meta.label == "registry.Area":
        return _area_visible(user, obj)
    risk_keys = _risk_keys(obj) or _hazard_keys(obj)
    if risk_keys is not None:
        return _sees_risk_record(user, risk_keys)
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
            and user.enterprise_id in _follow_all(obj, keys.enterprise)
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
