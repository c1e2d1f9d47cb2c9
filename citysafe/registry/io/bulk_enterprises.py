"""Bulk path for large enterprise workbooks.

Why it exists: through `create_enterprise`/`update_enterprise`, each row costs about a dozen
queries (foreign keys fetched one by one, the county outline re-read for the location check,
a grid polygon parsed per row, a locked audit-chain append) — measured at ~40 ms a row, so a
county's 100,000-row workbook would take over an hour (bench/bench_io.py prints both paths).

What stays the same: the rules. Each row goes through the same validators the service uses
(core.validation.check_uscc in the row parser, the county outline from core.validation.county_boundary,
services.placement's own rule over polygons prepared once, services.departments' default
department), the same role
permission (scope.require) and the same data-scope test on the in-memory record
(scope.contains); records to update are loaded through scope.narrow, so nothing outside the
actor's scope can be touched. Messages are the services' own msgids.

What differs: rows are validated against code tables and polygons prepared once (shapely
STRtree), all of them before anything is written and outside any transaction (so a 100,000-row
file does not hold the database's write lock while it is checked); then, in the import's one
short transaction, stored with bulk_create / bulk_update in batches (a record changed by
someone else since it was checked is refused, not overwritten), and audited with one
`record_change` per batch whose before/after hold every record's snapshot, so the audit
chain still names each change. Only roles that may create and change enterprises without
field restrictions (admin, department, township) use it; the others always take the
per-row service path.
"""
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from citysafe.core import references, scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, out_of_scope_problem
from citysafe.core.validation import GEOMETRY_MESSAGES, county_boundary, text_message, text_problem
from citysafe.registry.counties import acting_county_id
from citysafe.registry.io.bulk_write import PreparedWrites
from citysafe.registry.io.excel_import import CellError, RowWriter
from citysafe.registry.models import Area, Enterprise, Person
from citysafe.registry.services.departments import default_supervising_departments
from citysafe.registry.services.enterprises import uscc_unavailable
from citysafe.registry.services.placement import GridFacts, relocate
from kernels.geometry import is_lon_lat

BULK_THRESHOLD = 2000
BATCH = 1000
WRITE_FIELDS = ["name", "uscc", "industry", "scale", "address", "lon", "lat", "township", "village", "grid",
                "supervising_department", "legal_representative", "safety_officer", "standardisation_grade",
                "updated_at", "version"]
TEXT_FIELDS = ("name", "address", "legal_representative")
REFERENCE_FIELDS = ("industry_id", "township_id", "grid_id", "supervising_department_id", "safety_officer_id")


class AreaIndex:
    """Grid and township polygons, prepared once: the `AreaLookup` of services.placement, so
    the bulk path places records by the services' own rule (placement.place_in_areas)."""

    def __init__(self):
        self.levels, self.names = {}, {}
        for pk, level, name in Area.objects.values_list("id", "level", "name"):
            self.levels[pk], self.names[pk] = level, name
        self.grids: dict[int, GridFacts] = {}
        trees = {Area.Level.GRID: ([], []), Area.Level.TOWNSHIP: ([], [])}
        rows = Area.objects.filter(level__in=[Area.Level.GRID, Area.Level.TOWNSHIP]).order_by("id").values_list(
            "id", "level", "geometry", "township_id", "parent_id", "archived_at")
        for pk, level, geometry, township_id, parent_id, archived_at in rows:
            geom = shape(geometry) if geometry else None
            if geom is not None and archived_at is None:  # only active outlines locate a point
                trees[level][0].append(geom)
                trees[level][1].append(pk)
            if level == Area.Level.GRID:
                village = parent_id if self.levels.get(parent_id) == Area.Level.VILLAGE else None
                covers = prep(geom.buffer(1e-6)).covers if geom is not None else None
                self.grids[pk] = GridFacts(township_id, village, covers)
        self.trees = {level: (STRtree(geoms), ids) for level, (geoms, ids) in trees.items() if geoms}

    def grid(self, pk: int) -> GridFacts | None:
        return self.grids.get(pk)

    def locate(self, point: Point, level: str) -> int | None:
        if level not in self.trees:
            return None
        tree, ids = self.trees[level]
        hits = [ids[int(index)] for index in tree.query(point, predicate="covered_by")]
        return min(hits) if hits else None  # shared edges: the lowest id, as registry.locate

    def level(self, pk: int) -> str | None:
        return self.levels.get(pk)

    def name(self, pk: int) -> str:
        return self.names.get(pk, "")


class EnterpriseBulkWriter(RowWriter):
    @staticmethod
    def allows(actor) -> bool:
        # Regulators who may both create and change; enterprise officers (field limits) and
        # grid workers go row by row through the services.
        return (scope.may(actor, Enterprise, scope.Action.CREATE) and scope.may(actor, Enterprise, scope.Action.CHANGE)
                and scope.changeable_fields(actor, Enterprise) is None)

    def __init__(self, actor, kind, book, result, progress=None):
        super().__init__(actor, kind, book, result, progress=progress)
        scope.require(actor, Enterprise, scope.Action.CREATE)
        scope.require(actor, Enterprise, scope.Action.CHANGE)
        self.boundary = county_boundary(acting_county_id(actor))  # as services.enterprises: the actor's county
        self.areas = AreaIndex()
        self.supervisor = default_supervising_departments()  # the services' rule, as a table
        self.max_length = {f: Enterprise._meta.get_field(f).max_length for f in TEXT_FIELDS}
        self.pending: list[tuple[int, object, int | None]] = []
        self.officer_enterprise: dict[int, int | None] = {}
        # Validated rows waiting for the write phase, as prepared statement parameters.
        self.prepared = PreparedWrites(Enterprise, WRITE_FIELDS, key="uscc")

    # Phase 1 (no transaction, reads only): every row validated against prepared tables.
    def check(self, number, parsed, pk):
        self.pending.append((number, parsed, pk))
        if len(self.pending) >= BATCH:
            self.validate_batch()

    def finish_checks(self):
        self.validate_batch()

    def validate_batch(self):
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        wanted = [pk for _n, _p, pk in batch if pk is not None]
        existing = {e.pk: e for e in scope.narrow(self.actor, Enterprise.objects.filter(pk__in=wanted))} \
            if wanted else {}
        self.load_officers(batch, existing)
        self.load_references(batch)
        for number, parsed, pk in batch:
            if pk is not None and pk not in existing:
                self.refuse(number, parsed, [("", _("该记录不在您的数据范围内，不能更新"))])
                continue
            instance = existing[pk] if pk is not None else Enterprise()
            before = snapshot(instance) if pk is not None else None
            problems = self.validate(instance, parsed.data, creating=pk is None)
            if problems:
                self.refuse(number, parsed, problems)
                continue
            if parsed.errors:
                self.record(number, parsed)
                continue
            if not self.result.errors:  # once a row is bad nothing will be written: keep validating only
                self.prepared.add(number, instance, before)

    # Phase 2 (inside the caller's transaction): prepared statements, then the audit records
    # (last, so that the audit chain's lock is held only for them).
    def write(self):
        problems = self.prepared.conflicts()
        for number, what in problems:
            message = _("该企业在导入检查期间被他人修改，请重新导入") if what == "changed" else \
                _("该统一社会信用代码在导入检查期间已被登记，请重新导入")
            self.result.errors.append(CellError(number, "", message))
        if problems:
            return  # the caller rolls back
        created, updated = self.prepared.write()
        self.result.created += len(created)
        self.result.updated += len(updated)
        for start in range(0, len(created), BATCH):
            self.audit_created(created[start:start + BATCH])
        for start in range(0, len(updated), BATCH):
            self.audit_updated(updated[start:start + BATCH])

    def after_write(self):
        """Nothing to complete: every row was validated in phase 1."""

    def load_officers(self, batch, existing) -> None:
        """Each safety officer's enterprise, one query a batch, for the service's same-enterprise rule
        (it also covers an officer already linked, which the importing user may not see)."""
        ids = {parsed.data.get("safety_officer_id") for _n, parsed, _pk in batch}
        ids |= {e.safety_officer_id for e in existing.values()}
        ids.discard(None)
        self.officer_enterprise = dict(Person.objects.filter(pk__in=ids).values_list("id", "enterprise_id")) \
            if ids else {}

    def load_references(self, batch) -> None:
        """What the actor may point each reference at (core.references), one query a field a batch."""
        self.allowed = {
            name: references.allowed_ids(self.actor, Enterprise, name[:-3],
                                         {parsed.data.get(name) for _n, parsed, _pk in batch})
            for name in REFERENCE_FIELDS}

    def check_references(self, instance: Enterprise, data: dict, problems) -> None:
        """The service's reference rule: a new value must be a target the actor may choose."""
        for name in REFERENCE_FIELDS:
            value = data.get(name)
            if value in (None, "") or (instance.pk is not None and getattr(instance, name) == value):
                continue
            if value not in self.allowed[name]:
                problems.append((name, references.unavailable_message(Enterprise._meta.get_field(name[:-3]))))

    def audit_created(self, snapshots: list[dict]):
        record_change(actor=self.actor, action="bulk_create", object_type="registry.Enterprise",
                      object_id=f"{snapshots[0]['id']}..{snapshots[-1]['id']}",
                      object_repr=_("批量导入新增%(n)d家企业") % {"n": len(snapshots)},
                      before=None, after={str(s["id"]): s for s in snapshots})

    def audit_updated(self, pairs: list[tuple[dict, dict]]):
        record_change(actor=self.actor, action="bulk_update", object_type="registry.Enterprise",
                      object_id=f"{pairs[0][0]['id']}..{pairs[-1][0]['id']}",
                      object_repr=_("批量导入更新%(n)d家企业") % {"n": len(pairs)},
                      before={str(b["id"]): b for b, _a in pairs}, after={str(a["id"]): a for _b, a in pairs})

    def validate(self, instance: Enterprise, data: dict, creating: bool) -> list[tuple[str, str]]:
        """The service's rules for one row, against prepared tables; [(field, message)]."""
        problems: list[tuple[str, str]] = []
        required = _("此字段为必填项")
        for name in ("name", "uscc", "industry_id", "lon", "lat"):
            if data.get(name) in (None, ""):
                problems.append((name, required))
        if problems:
            return problems
        self.check_references(instance, data, problems)
        if problems:
            return problems
        # The USCC went through core.validation.check_uscc in EnterpriseKind.parse (which
        # reports it on its cell); a row with a bad one never gets written (see validate_batch).
        instance.uscc = data["uscc"]
        if creating and instance.uscc in self.book.uscc_taken:
            # Registered outside the actor's scope (CodeBook looks up only visible ones): the
            # service's neutral wording, which does not confirm where (or that) it exists.
            problems.append(("uscc", uscc_unavailable()))
            return problems
        for name in TEXT_FIELDS:
            if name in data:
                value = (data[name] or "").strip()
                if problem := text_problem(value):  # services.fields.apply_fields' text rule
                    problems.append((name, text_message(problem)))
                if len(value) > self.max_length[name]:
                    problems.append((name, _("长度不能超过%(n)s个字符") % {"n": self.max_length[name]}))
                setattr(instance, name, value)
        instance.industry_id = data["industry_id"]
        for name in ("scale", "standardisation_grade"):
            if name in data:
                setattr(instance, name, data[name])
        instance.lon, instance.lat = float(data["lon"]), float(data["lat"])
        if "supervising_department_id" in data:
            instance.supervising_department_id = data["supervising_department_id"]
        if "safety_officer_id" in data:
            instance.safety_officer_id = data["safety_officer_id"]
        point = self.check_location(instance.lon, instance.lat, problems)
        self.place(instance, data, point, problems)
        if not instance.supervising_department_id:
            instance.supervising_department_id = self.supervisor.get(instance.industry_id)
        # services.enterprises: on update the officer must belong to this enterprise (or to none).
        if instance.safety_officer_id and not creating and \
                self.officer_enterprise.get(instance.safety_officer_id) not in (None, instance.pk):
            problems.append(("safety_officer_id", _("安全管理负责人须为本企业人员")))
        if not problems and not scope.contains(self.actor, instance):
            field, message = out_of_scope_problem(self.actor, Enterprise)
            problems.append((field or "", message))
        return problems

    def check_location(self, lon, lat, problems) -> Point | None:
        if not is_lon_lat(lon, lat):
            problems.append(("location", _(GEOMETRY_MESSAGES["range"])))
            return None
        point = Point(lon, lat)
        if self.boundary is not None and not self.boundary.covers(point):
            problems.append(("location", _(GEOMETRY_MESSAGES["outside"])))
            return None
        return point

    def place(self, instance: Enterprise, data: dict, point, problems) -> None:
        """services.placement's rule over the prepared polygons."""
        if "grid_id" in data:
            instance.grid_id = data["grid_id"]
        if "township_id" in data:
            instance.township_id = data["township_id"]
        instance.submitted_fields = set(data)  # as apply_fields: whether the township was named
        errors = ErrorCollector()
        relocate(instance, data, point, errors, areas=self.areas)
        problems.extend((name, str(error.message)) for name, found in errors.errors.items() for error in found)
