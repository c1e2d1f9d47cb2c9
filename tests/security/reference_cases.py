"""The reference matrix: every foreign key / many-to-many a user can set, every role that may
write the record, and a target that role must not point it at — built in domain terms
(township, grid, industry, enterprise), independently of core.scope, like the scope matrix.

Where a role sees every record of the target's kind (the admin everywhere, a department on
areas), the target is one nobody may choose: an archived record, or a directory record of the
wrong kind (a township organisation as supervising department).
"""
from django.db.models import Q

from citysafe.accounts.models import Organisation
from citysafe.registry import services
from citysafe.registry.models import Area, Enterprise, Person, Place

# resource → the reference fields users set through the API (service keys)
REFERENCES = {
    "persons": ["enterprise_id", "organisation_id", "township_id", "grid_id"],
    "places": ["owner_enterprise_id", "industry_id", "township_id", "grid_id", "supervising_department_id",
               "responsible_person_ids"],
    "enterprises": ["industry_id", "township_id", "grid_id", "supervising_department_id", "safety_officer_id"],
    "organisations": ["area_id", "first_responsible_id", "direct_responsible_id", "industry_ids"],
    "areas": ["parent_id"],
}
FIELD_OFFICERS = ["admin", "department", "township", "grid", "enterprise"]
WRITERS = {"persons": FIELD_OFFICERS, "places": FIELD_OFFICERS, "enterprises": FIELD_OFFICERS,
           "organisations": ["admin"], "areas": ["admin"]}
MODELS = {"persons": Person, "places": Place, "enterprises": Enterprise, "organisations": Organisation, "areas": Area}
MANY = {"responsible_person_ids": "responsible_persons", "industry_ids": "industries"}
CASES = [(resource, field, role) for resource, fields in REFERENCES.items() for field in fields
         for role in WRITERS[resource]]


def case_id(case) -> str:
    return "-".join(case)


def _industries(w):
    return list(w.department.organisation.industries.values_list("pk", flat=True))


def _live(queryset):
    return queryset.filter(archived_at__isnull=True).order_by("id").first()


def inside_record(w, role: str, resource: str):
    """A record the role is responsible for (domain terms), or the admin's pick."""
    ent = w.enterprise
    if role == "admin" or resource in ("organisations", "areas"):
        base = {"organisations": Q(kind=Organisation.Kind.TOWNSHIP), "areas": Q(level=Area.Level.VILLAGE)}
        return _live(MODELS[resource].objects.filter(base.get(resource, Q())))
    where = {
        # Not in township B: the archived-township/grid targets are there.
        ("department", "enterprises"): Q(industry__in=_industries(w)) & ~Q(township=w.township_b),
        ("department", "places"): Q(industry__in=_industries(w)) & ~Q(township=w.township_b),
        ("department", "persons"): Q(enterprise__industry__in=_industries(w)),
        ("township", "enterprises"): Q(township=w.township_a),
        ("township", "places"): Q(township=w.township_a),
        ("township", "persons"): Q(township=w.township_a),
        ("grid", "enterprises"): Q(grid=w.grid),
        ("grid", "places"): Q(grid=w.grid),
        ("grid", "persons"): Q(grid=w.grid),
        ("enterprise", "enterprises"): Q(pk=ent.pk),
        ("enterprise", "places"): Q(owner_enterprise=ent),
        ("enterprise", "persons"): Q(enterprise=ent),
    }[role, resource]
    found = _live(MODELS[resource].objects.filter(where))
    if found is None and (role, resource) == ("enterprise", "places"):
        found = services.create_place(w.admin, {
            "name": "企业自有仓库", "place_type": "other", "owner_enterprise_id": ent.pk, "grid_id": ent.grid_id,
            "geometry": {"type": "Point", "coordinates": [ent.lon, ent.lat]}})
    assert found is not None, (role, resource)
    return found


def _archived(w, kind: str):
    """A record of `kind` that is archived: nobody may point a reference at it."""
    admin = w.admin
    if kind == "enterprise":
        target = w.enterprise_in_b
    elif kind == "person":
        target = services.create_person(admin, {"name": "已归档人员", "phone": "13909395555",
                                                "township_id": w.township_a.pk})
    elif kind == "industry":
        target = services.create_industry(admin, {"code": "archived-x", "name": "已归档行业"})
    elif kind == "organisation":
        target = services.create_organisation(admin, {"kind": "department", "code": "archived-org", "name": "已撤销局"})
    elif kind == "township":
        target = w.township_b
    elif kind == "grid":
        target = Area.objects.filter(level=Area.Level.GRID, township=w.township_b).order_by("code").first()
    else:
        raise KeyError(kind)
    services.archive_record(admin, type(target), target.pk)
    return target


def _persons_outside(w, role: str) -> Q:
    ent = w.enterprise
    return {
        "department": ~Q(enterprise__industry__in=_industries(w)) & ~Q(organisation=w.department.organisation_id),
        "township": ~Q(township=w.township_a) & ~Q(organisation=w.township_officer.organisation_id),
        "grid": ~Q(grid=w.grid),
        "enterprise": ~Q(enterprise=ent),
    }[role]


def _enterprises_outside(w, role: str) -> Q:
    return {
        "department": ~Q(industry__in=_industries(w)),
        "township": ~Q(township=w.township_a),
        "grid": ~Q(grid=w.grid),
        "enterprise": ~Q(pk=w.enterprise.pk),
    }[role]


def _area_outside(w, role: str, level: str):
    """An area of `level` outside the role's areas; None for those who see every area."""
    if role in ("admin", "department"):
        return None
    areas = Area.objects.filter(level=level, archived_at__isnull=True).order_by("code")
    if role == "township":
        return areas.exclude(township=w.township_a).first()
    if role == "grid":  # its grids only; not its own township either (records keep it unchanged)
        return areas.exclude(pk=w.grid.pk).exclude(township=w.grid.township_id).first()
    ent = w.enterprise
    return areas.exclude(pk__in=[ent.township_id, ent.village_id, ent.grid_id]).first()


def outside_target(w, role: str, field: str) -> int:
    """The id of a record `role` must not point `field` at."""
    user = w.role_users()[role]
    if field in ("enterprise_id", "owner_enterprise_id"):
        if role == "admin":
            return _archived(w, "enterprise").pk
        return _live(Enterprise.objects.filter(_enterprises_outside(w, role))).pk
    if field in ("safety_officer_id", "responsible_person_ids", "first_responsible_id", "direct_responsible_id"):
        if role == "admin":
            return _archived(w, "person").pk
        # Prefer a person of no enterprise, so only the scope rule can refuse it.
        outside = Person.objects.filter(_persons_outside(w, role))
        return (_live(outside.filter(enterprise__isnull=True)) or _live(outside)).pk
    if field in ("township_id", "grid_id", "parent_id", "area_id"):
        level = {"township_id": Area.Level.TOWNSHIP, "grid_id": Area.Level.GRID}.get(field, Area.Level.TOWNSHIP)
        found = _area_outside(w, role, level)
        return found.pk if found is not None else _archived(w, "township" if level == Area.Level.TOWNSHIP
                                                            else "grid").pk
    if field in ("industry_id", "industry_ids"):
        return _archived(w, "industry").pk
    if field == "supervising_department_id":
        return Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP).order_by("id").first().pk
    if field == "organisation_id":
        if role == "admin":
            return _archived(w, "organisation").pk
        return Organisation.objects.exclude(pk=user.organisation_id).exclude(
            kind=Organisation.Kind.OFFICE).order_by("id").first().pk
    raise KeyError(field)


def current_value(record, field: str):
    record.refresh_from_db()
    if field in MANY:
        return sorted(getattr(record, MANY[field]).values_list("pk", flat=True))
    return getattr(record, field)


def patch_value(field: str, pk: int):
    return [pk] if field in MANY else pk

