"""Who may write registry records, and which fields: registered with core.scope in
RegistryConfig.ready() (core holds the tables and enforces them; the registry declares them).

Why these field sets:
- Position (lon/lat/geometry/township/grid) and classification (industry, supervising
  department, scale, standardisation grade, place type, USCC/identity) decide which township,
  grid and department is responsible for a record. They are set by the regulators (admin,
  department, township — the roles that also run the relocation and closure workflow,
  core.workflow / registry.workflows), within their scope.
- A grid worker updates what it sees on patrol — names, addresses, people present, contacts —
  but does not reclassify or move a record. When it registers a *new* place or person it
  places it (location, grid) and gives its type, since nobody else has yet.
- An enterprise officer keeps its own contact data current (address, legal representative,
  safety officer, its staff's contact details, its places' names and occupancy); it never moves
  its enterprise (relocation is a regulator's workflow).
- Areas and industries are configuration: only the admin writes them.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
EVERYONE_WHO_WRITES = REGULATORS | {Role.GRID, Role.ENTERPRISE}
ADMIN_ONLY = {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}}

PERMISSIONS = {
    "registry.Area": ADMIN_ONLY,
    "registry.Industry": ADMIN_ONLY,
    "registry.Person": {Action.CREATE: EVERYONE_WHO_WRITES, Action.CHANGE: EVERYONE_WHO_WRITES,
                        Action.ARCHIVE: REGULATORS},
    "registry.Enterprise": {Action.CREATE: REGULATORS, Action.CHANGE: EVERYONE_WHO_WRITES,
                            Action.ARCHIVE: REGULATORS},
    "registry.Place": {Action.CREATE: EVERYONE_WHO_WRITES, Action.CHANGE: EVERYONE_WHO_WRITES,
                       Action.ARCHIVE: REGULATORS},
}

_PLACE_PATROL = frozenset({"name", "address", "people_present", "responsible_person_ids"})
_PLACE_NEW = frozenset({"name", "place_type", "geometry", "address", "capacity", "people_present",
                        "owner_enterprise_id", "responsible_person_ids"})
_PERSON_CONTACT = frozenset({"name", "phone", "id_number", "title"})
_REGULATORS_SET_EVERY_FIELD = dict.fromkeys(REGULATORS, EVERY_FIELD)

FIELD_LIMITS = {
    "registry.Enterprise": {
        **_REGULATORS_SET_EVERY_FIELD,
        Role.GRID: FieldLimit(change=frozenset({"name", "address", "legal_representative", "safety_officer_id"})),
        Role.ENTERPRISE: FieldLimit(change=frozenset({"address", "legal_representative", "safety_officer_id"})),
    },
    "registry.Place": {
        **_REGULATORS_SET_EVERY_FIELD,
        # A new place found on patrol: its location (grid), type and first classification.
        Role.GRID: FieldLimit(change=_PLACE_PATROL, create=_PLACE_NEW | {"industry_id", "grid_id"}),
        # Its own new place: industry, township and grid follow from the owner and the geometry.
        Role.ENTERPRISE: FieldLimit(change=_PLACE_PATROL, create=_PLACE_NEW),
    },
    "registry.Person": {
        **_REGULATORS_SET_EVERY_FIELD,
        Role.GRID: FieldLimit(change=_PERSON_CONTACT,
                              create=_PERSON_CONTACT | {"enterprise_id", "township_id", "grid_id"}),
        Role.ENTERPRISE: FieldLimit(change=_PERSON_CONTACT, create=_PERSON_CONTACT | {"enterprise_id"}),
    },
    "registry.Area": {Role.ADMIN: EVERY_FIELD},
    "registry.Industry": {Role.ADMIN: EVERY_FIELD},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
