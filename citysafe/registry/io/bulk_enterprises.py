"""Bulk path for large enterprise workbooks.

Why it exists: through `create_enterprise`/`update_enterprise`, each row costs about a dozen
queries (foreign keys fetched one by one, the county outline re-read for the location check,
a grid polygon parsed per row, a locked audit-chain append) — measured at ~40 ms a row, so a
county's 100,000-row workbook would take over an hour (bench/bench_io.py prints both paths).

What stays the same: the rules. Each row goes through the same validators the service uses
(core.validation.check_uscc in the row parser, the county outline from core.validation.county_boundary, the
same grid/township placement rules as services.placement, the same defaults), the same role
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
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.validation import GEOMETRY_MESSAGES, county_boundary
from citysafe.registry.io.excel_import import CellError, RowWriter
from citysafe.registry.models import Area, Enterprise, Person
from kernels.geometry import is_lon_lat

BULK_THRESHOLD = 2000
BATCH = 1000
WRITE_FIELDS = ["name", "uscc", "industry", "scale", "address", "lon", "lat", "township", "village", "grid",
                "supervising_department", "legal_representative", "safety_officer", "standardisation_grade",
                "updated_at"]
TEXT_FIELDS = ("name", "address", "legal_representative")


class AreaIndex:
    """Grid and township polygons, prepared once, for placement checks and point location."""

    def __init__(self):
        rows = list(Area.objects.filter(archived_at__isnull=True, level__in=[Area.Level.GRID, Area.Level.TOWNSHIP])
                    .exclude(geometry__isnull=True).values_list("id", "level", "geometry", "township_id", "parent_id"))
        levels = dict(Area.objects.values_list("id", "level"))
        self.grid: dict[int, tuple] = {}
        self.township_ids: set[int] = set()
        trees = {Area.Level.GRID: ([], []), Area.Level.TOWNSHIP: ([], [])}
        for pk, level, geometry, township_id, parent_id in rows:
            geom = shape(geometry)
            trees[level][0].append(geom)
            trees[level][1].append(pk)
            if level == Area.Level.GRID:
                village = parent_id if levels.get(parent_id) == Area.Level.VILLAGE else None
                self.grid[pk] = (prep(geom.buffer(1e-6)), township_id, village)
            else:
                self.township_ids.add(pk)
        self.trees = {level: (STRtree(geoms), ids) for level, (geoms, ids) in trees.items() if geoms}
        self.geoms = {level: geoms for level, (geoms, _ids) in trees.items()}
        self.levels = levels

    def locate(self, point: Point, level: str) -> int | None:
        if level not in self.trees:
            return None
        tree, ids = self.trees[level]
        for index in tree.query(point, predicate="covered_by"):
            return ids[int(index)]
        return None


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
        self.boundary = county_boundary()
        self.areas = AreaIndex()
        self.supervisor = {}
        for org_id, industry_id in Organisation.industries.through.objects.filter(
                organisation__kind=Organisation.Kind.DEPARTMENT, organisation__archived_at__isnull=True,
        ).order_by("organisation_id").values_list("organisation_id", "industry_id"):
            self.supervisor.setdefault(industry_id, org_id)
        self.max_length = {f: Enterprise._meta.get_field(f).max_length for f in TEXT_FIELDS}
        self.pending: list[tuple[int, object, int | None]] = []
        self.officer_enterprise: dict[int, int | None] = {}
        # Validated records waiting for the write phase, in batches of BATCH.
        self.batches: list[tuple[list, list, list]] = []
        # For each record to update: its row number and its updated_at when phase 1 read it.
        self.read_at: dict[int, tuple[int, object]] = {}

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
        existing = {e.pk: e for e in scope.narrow(self.actor, Enterprise.objects.filter(pk__in=wanted))} if wanted else {}
        self.load_officers(batch, existing)
        creates, updates, befores = [], [], []
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
            if self.result.errors:
                continue  # nothing will be written: keep validating, drop the records
            (creates if pk is None else updates).append(instance)
            if pk is not None:
                befores.append(before)
                self.read_at[pk] = (number, instance.updated_at)
        if self.result.errors:
            self.batches = []
        else:
            self.batches.append((creates, updates, befores))

    # Phase 2 (inside the caller's transaction): bulk statements and one audit record a batch.
    def write(self):
        for index, (creates, updates, befores) in enumerate(self.batches):
            if updates and self.changed_meanwhile(updates):
                return  # the caller rolls back
            if creates:
                Enterprise.objects.bulk_create(creates, batch_size=BATCH)
                self.result.created += len(creates)
                for instance in creates:
                    self.book.enterprise_id[instance.uscc] = instance.pk
            if updates:
                now = timezone.now()  # bulk_update does not apply auto_now
                for instance in updates:
                    instance.updated_at = now
                Enterprise.objects.bulk_update(updates, WRITE_FIELDS, batch_size=BATCH)
                self.result.updated += len(updates)
            self.audit(creates, updates, befores)
            if self.progress is not None:
                self.progress((index + 1) * BATCH, len(self.batches) * BATCH, 0)
        self.batches = []

    def after_write(self):
        """Nothing to complete: every row was validated in phase 1."""

    def changed_meanwhile(self, updates) -> bool:
        """Records saved by someone else between the check and the write are not overwritten
        (the rows were locked by select_for_update here, so nothing changes them after this)."""
        current = dict(Enterprise.objects.select_for_update().filter(pk__in=[e.pk for e in updates])
                       .values_list("id", "updated_at"))
        for instance in updates:
            number, read_at = self.read_at[instance.pk]
            if current.get(instance.pk) != read_at:
                self.result.errors.append(CellError(number, "", _("该企业在导入检查期间被他人修改，请重新导入")))
        return bool(self.result.errors)

    def load_officers(self, batch, existing) -> None:
        """Each safety officer's enterprise, one query a batch, for the service's same-enterprise rule
        (it also covers an officer already linked, which the importing user may not see)."""
        ids = {parsed.data.get("safety_officer_id") for _n, parsed, _pk in batch}
        ids |= {e.safety_officer_id for e in existing.values()}
        ids.discard(None)
        self.officer_enterprise = dict(Person.objects.filter(pk__in=ids).values_list("id", "enterprise_id")) \
            if ids else {}

    def audit(self, creates, updates, befores):
        if creates:
            record_change(actor=self.actor, action="bulk_create", object_type="registry.Enterprise",
                          object_id=f"{creates[0].pk}..{creates[-1].pk}",
                          object_repr=_("批量导入新增%(n)d家企业") % {"n": len(creates)},
                          before=None, after={str(e.pk): snapshot(e) for e in creates})
        if updates:
            record_change(actor=self.actor, action="bulk_update", object_type="registry.Enterprise",
                          object_id=f"{updates[0].pk}..{updates[-1].pk}",
                          object_repr=_("批量导入更新%(n)d家企业") % {"n": len(updates)},
                          before={str(b["id"]): b for b in befores}, after={str(e.pk): snapshot(e) for e in updates})

    def validate(self, instance: Enterprise, data: dict, creating: bool) -> list[tuple[str, str]]:
        """The service's rules for one row, against prepared tables; [(field, message)]."""
        problems: list[tuple[str, str]] = []
        required = _("此字段为必填项")
        for name in ("name", "uscc", "industry_id", "lon", "lat"):
            if data.get(name) in (None, ""):
                problems.append((name, required))
        if problems:
            return problems
        # The USCC went through core.validation.check_uscc in EnterpriseKind.parse (which
        # reports it on its cell); a row with a bad one never gets written (see validate_batch).
        instance.uscc = data["uscc"]
        for name in TEXT_FIELDS:
            if name in data:
                value = (data[name] or "").strip()
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
        if point is not None or "grid_id" in data or "township_id" in data:
            self.place(instance, data, point, problems)
        if not instance.supervising_department_id:
            instance.supervising_department_id = self.supervisor.get(instance.industry_id)
        # services.enterprises: on update the officer must belong to this enterprise (or to none).
        if instance.safety_officer_id and not creating and \
                self.officer_enterprise.get(instance.safety_officer_id) not in (None, instance.pk):
            problems.append(("safety_officer_id", _("安全管理负责人须为本企业人员")))
        if not problems and not scope.contains(self.actor, instance):
            problems.append(("", _("保存后的记录将超出您的数据范围")))
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
        """services.placement.place_in_areas over the prepared polygons."""
        if "grid_id" in data:
            instance.grid_id = data["grid_id"]
        if "township_id" in data:
            instance.township_id = data["township_id"]
        if point is not None and "grid_id" not in data and "township_id" not in data:
            instance.grid_id = instance.township_id = None
        if instance.grid_id:
            grid = self.areas.grid.get(instance.grid_id)
            if grid is None:
                problems.append(("grid_id", _("所选区域不是网格")))
                return
            polygon, township_id, village_id = grid
            if point is not None and not polygon.covers(point):
                problems.append(("grid_id", _("位置不在所选网格范围内")))
                return
            instance.township_id, instance.village_id = township_id, village_id
            return
        instance.village_id = None
        if point is not None and not instance.township_id:
            found = self.areas.locate(point, Area.Level.GRID)
            if found is not None:
                instance.grid_id = found
                _polygon, instance.township_id, instance.village_id = self.areas.grid[found]
                return
            instance.township_id = self.areas.locate(point, Area.Level.TOWNSHIP)
        if instance.township_id:
            if self.areas.levels.get(instance.township_id) != Area.Level.TOWNSHIP:
                problems.append(("township_id", _("所选区域不是乡镇")))
            return
        problems.append(("township_id", _("无法确定所属乡镇：请选择乡镇或网格，或填写位于网格内的坐标")))
