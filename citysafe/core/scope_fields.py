"""What models declare about data scope; `citysafe.core.scope` alone decides what it means.

Every concrete model of our apps declares one of (a system check refuses a model that does not,
see core/checks.py):

- `scope = ScopeFields(township=..., grid=..., ...)`: ORM paths to the keys scope filters on;
- `scope = PUBLIC`: a directory (industries, organisations) every signed-in user may read;
- `public_name=True` on ScopeFields: rows are scoped, but the name is no secret (an
  administrative area's name is shown on a record that lies in it);
- `all_rows_for=` / `enterprise_points_at=` on ScopeFields: further roles that see every row,
  and the rows an enterprise officer's enterprise points at (how registry.Area says who sees
  which areas, without a special case in core.scope);
- `scope = COUNTY_WIDE`: no keys, so only the county-wide roles (admin, leader) see rows
  through `scope.narrow` (plus the `owner`, where one is named); they belong to the home county.
- `scope = COUNTY_TABLE`: the same, per county: the row's `county` foreign key says whose.

A model whose users set foreign keys or many-to-many fields also declares, next to `scope`,
what each of them may point at: `references = {"enterprise": Ref.visible(), ...}`. The shared
write path (registry.services.fields.apply_fields, core.references) enforces it; a field that
is not declared cannot be set by a user at all.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScopeFields:
    """Where a model keeps the keys that data scope filters on (ORM paths)."""

    township: str | None = None
    grid: str | None = None
    industry: str | None = None
    enterprise: str | None = None
    organisation: str | None = None
    owner: str | None = None       # path to a user: that user sees the row, whatever its role
    # A GenericForeignKey naming the record this row belongs to (an attachment): the row is
    # visible exactly when that record is; rows without one, to the county-wide roles only.
    owner_record: str | None = None
    public: bool = False           # a directory: every signed-in user reads every row
    public_name: bool = False      # its name may be shown wherever a visible record points at it
    # Roles that see every row besides the county-wide admin and leader (core.roles.Role values);
    # e.g. departments see every administrative area (they regulate industries county-wide).
    all_rows_for: frozenset[str] = frozenset()
    # For an enterprise officer: the rows its own enterprise points at through these foreign
    # keys of the enterprise (an area: its township, village and grid).
    enterprise_points_at: tuple[str, ...] = ()
    # Path(s) to the county (a registry Area of level county) a row belongs to, where it is not
    # derived from the keys above (core.scope derives "<township>__county", "<grid>__county",
    # "<enterprise>__township__county", "<organisation>__area__county", "<owner>__organisation__area__county").
    county: str | tuple[str, ...] | None = None


PUBLIC = ScopeFields(public=True)
COUNTY_WIDE = ScopeFields()
# A county-wide table of several counties (issue 19): each row keeps its county in a `county`
# foreign key (to the registry's Area; null = the home county's). core.scope shows it to the
# county-wide roles of that county only (admin, leader; the prefecture office reads its
# counties'), exactly as COUNTY_WIDE within one county: no other key, so no other role.
COUNTY_TABLE = ScopeFields(county="county")


@dataclass(frozen=True)
class Ref:
    """What a user may point one foreign key or many-to-many field at.

    kind:
      - "visible": a record inside the acting user's scope (`scope.narrow` of the target model;
        for a PUBLIC target, any active record of the directory), matching `where`;
      - "own_organisation": the acting user's own organisation (admins: any), matching `where`
        — used where pointing at an organisation would show the record to that organisation;
      - "system": never set by a user; the services derive it (a village from the grid).
    `where`: extra conditions on the target, as ORM lookups (e.g. kind="department").
    """

    kind: str
    where: dict = field(default_factory=dict, hash=False)

    @classmethod
    def visible(cls, **where) -> "Ref":
        return cls("visible", where)

    @classmethod
    def own_organisation(cls, **where) -> "Ref":
        return cls("own_organisation", where)

    @classmethod
    def system(cls) -> "Ref":
        return cls("system")
