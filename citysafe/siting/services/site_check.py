"""Site check of a proposed project (规划选址安全评估): rule conflicts in both directions, the
sites and people within the relevant radii, nearby risk points and major hazard installations,
a verdict with reasons; saved with a number (SiteCheck) and printable (documents.py).

The check reads the whole registry, not the planner's scope: a planning decision must see the
gas station across the township line. It shows names, kinds and distances only."""
import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.validation import check_geometry, check_text
from citysafe.registry.locate import locate_area
from citysafe.risks.models import RiskLevel, RiskPoint
from citysafe.siting.models import HazardousKind, SensitiveKind, SiteCheck
from citysafe.siting.services.conflicts import HAZARDOUS_INDEX, SENSITIVE_INDEX, rule_table
from citysafe.siting.services.dig_check import find_lines_near
from citysafe.siting.sites import Site, hazardous_sites, sensitive_sites
from kernels.safety_distance import find_conflicts, to_metres

NEARBY_M = 1000.0  # radius for nearby risk points and installations on the report (common practice)
# Underground lines under or near the footprint: a screening margin for the planning file (common
# practice: the protection zones of mains are a few metres; the county adjusts it here).
LINES_NEAR_M = 10.0
KINDS = dict(HazardousKind.choices) | dict(SensitiveKind.choices)  # lazy labels: str() when stored


def _field_error(field, message, code):
    return ValidationError({field: [ValidationError(message, code=code)]})


def _validate(project_name, kind, geometry) -> shapely.Geometry:
    errors = {}
    try:
        check_text(project_name or "", "project_name")
        if not (project_name or "").strip():
            raise _field_error("project_name", _("项目名称：必填"), "required")
    except ValidationError as error:
        errors.update(error.error_dict)
    if kind not in KINDS:
        errors["kind"] = [ValidationError(_("项目类别：未知的类别“%(k)s”，应为规则表中的危险源或敏感目标类别")
                                          % {"k": str(kind)[:40]}, code="unknown_kind")]
    geom = None
    try:
        geom = check_geometry(geometry, "geometry", allowed={"Point", "Polygon"})
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return geom


def _distances(centre, project_m, sites: list[Site]) -> np.ndarray:
    if not sites:
        return np.empty(0)
    return shapely.distance(project_m, to_metres([s.geometry for s in sites], centre))


def evaluate(kind: str, geom) -> dict:
    """The findings for a project of `kind` at `geom` (lon/lat); nothing is stored."""
    matrix, rules = rule_table()
    centre = (round(geom.centroid.x, 1), round(geom.centroid.y, 1))
    project_m = to_metres([geom], centre)[0]
    is_hazardous = kind in HAZARDOUS_INDEX
    others = sensitive_sites() if is_hazardous else hazardous_sites()
    distance = _distances(centre, project_m, others)
    if is_hazardous:
        row = HAZARDOUS_INDEX[kind]
        found = find_conflicts([project_m], [row], to_metres([s.geometry for s in others], centre),
                               [SENSITIVE_INDEX[s.kind] for s in others], matrix)
        pairs = [(others[j], d, r, rules[(row, SENSITIVE_INDEX[others[j].kind])])
                 for j, d, r in zip(found.sensitive, found.distance_m, found.required_m, strict=True)]
        radius = np.nanmax(np.where(matrix[row] > 0, matrix[row], np.nan)) if np.any(matrix[row] > 0) else 0.0
    else:
        col = SENSITIVE_INDEX[kind]
        found = find_conflicts(to_metres([s.geometry for s in others], centre), [HAZARDOUS_INDEX[s.kind] for s in others],
                               [project_m], [col], matrix)
        pairs = [(others[i], d, r, rules[(HAZARDOUS_INDEX[others[i].kind], col)])
                 for i, d, r in zip(found.hazardous, found.distance_m, found.required_m, strict=True)]
        radius = np.nanmax(np.where(matrix[:, col] > 0, matrix[:, col], np.nan)) if np.any(matrix[:, col] > 0) else 0.0
    conflicts = [{"name": s.name, "kind": str(KINDS[s.kind]), "distance_m": round(float(d), 1), "required_m": float(r),
                  "shortfall_m": round(float(r - d), 1), "standard": rule.standard, "clause": rule.clause,
                  "lon": s.lon, "lat": s.lat} for s, d, r, rule in sorted(pairs, key=lambda p: p[1])]
    within_idx = np.flatnonzero(distance <= radius) if len(others) else []
    within = sorted(({"name": others[i].name, "kind": str(KINDS[others[i].kind]), "distance_m": round(float(distance[i]), 1),
                      "people": others[i].people, "lon": others[i].lon, "lat": others[i].lat}
                     for i in within_idx), key=lambda w: w["distance_m"])
    units = [s for s in (hazardous_sites() if is_hazardous else others) if "grade" in s.extra]
    installations = [{"name": s.name, "grade": s.extra["grade"], "distance_m": round(float(d), 1)}
                     for s, d in zip(units, _distances(centre, project_m, units), strict=True) if d <= NEARBY_M]
    risk_points = _risk_points_near(centre, project_m, geom)
    result = {"kind": kind, "kind_label": str(KINDS[kind]), "role": "hazardous" if is_hazardous else "sensitive",
              "radius_m": float(radius), "conflicts": conflicts, "within": within[:200],
              "people_within": int(sum(w["people"] for w in within)), "installations": sorted(
                  installations, key=lambda x: x["distance_m"]), "risk_points": risk_points,
              "nearby_m": NEARBY_M, **_lines_near(geom)}
    result["verdict"], result["reasons"] = _verdict(result)
    return result


def _lines_near(geom) -> dict:
    hits = find_lines_near(geom, LINES_NEAR_M)
    lines = [{"code": h.code, "name": h.name, "kind": h.kind, "kind_label": h.kind_label, "diameter_mm": h.diameter_mm,
              "pressure_label": h.pressure_label, "depth_m": h.depth_m, "owner": h.owner, "status_label": h.status_label,
              "distance_m": round(h.distance_m, 1), "geometry": h.geometry} for h in hits[:100]]
    note = (_("用地范围%(m)g米内有地下管线%(n)d条，施工前须与权属单位核实并采取保护措施")
            if lines else _("用地范围%(m)g米内未发现已入库的地下管线"))
    return {"lines": lines, "lines_m": LINES_NEAR_M, "lines_note": note % {"m": LINES_NEAR_M, "n": len(lines)}}


def _risk_points_near(centre, project_m, geom) -> list[dict]:
    box = 0.015  # ≈ 1.3 km: a cheap prefilter before exact distances
    c = geom.centroid
    points = list(RiskPoint.objects.filter(archived_at__isnull=True, lon__isnull=False, level__in=[1, 2, 3, 4],
                                           lon__range=(c.x - box, c.x + box), lat__range=(c.y - box, c.y + box))
                  .values("name", "level", "lon", "lat"))
    if not points:
        return []
    d = shapely.distance(project_m, to_metres(shapely.points([(p["lon"], p["lat"]) for p in points]), centre))
    labels = dict(RiskLevel.choices)
    near = [{"name": p["name"], "level": p["level"], "level_label": str(labels[p["level"]]), "distance_m": round(float(x), 1)}
            for p, x in zip(points, d, strict=True) if x <= NEARBY_M]
    return sorted(near, key=lambda r: (r["level"], r["distance_m"]))[:50]


def _verdict(result: dict) -> tuple[str, list[str]]:
    reasons = []
    for c in result["conflicts"]:
        reasons.append(_("与%(name)s（%(kind)s）相距%(d)s米，小于%(std)s %(clause)s规定的%(r)g米") % {
            "name": c["name"], "kind": c["kind"], "d": c["distance_m"], "std": c["standard"], "clause": c["clause"],
            "r": c["required_m"]})
    if reasons:
        return SiteCheck.Verdict.FAIL, reasons
    for unit in result["installations"]:
        reasons.append(_("%(m)g米内有%(grade)s级重大危险源：%(name)s（%(d)s米）") % {
            "m": result["nearby_m"], "grade": unit["grade"], "name": unit["name"], "d": unit["distance_m"]})
    for point in result["risk_points"]:
        if point["level"] in (RiskLevel.MAJOR, RiskLevel.SIGNIFICANT):
            reasons.append(_("%(m)g米内有%(level)s风险点：%(name)s（%(d)s米）") % {
                "m": result["nearby_m"], "level": point["level_label"], "name": point["name"], "d": point["distance_m"]})
    for line in result.get("lines", []):
        if line["kind"] in ("gas", "industrial", "heating"):
            reasons.append(_("用地范围%(m)g米内有%(kind)s管线：%(code)s（%(d)s米，%(owner)s）") % {
                "m": result["lines_m"], "kind": line["kind_label"], "code": line["code"], "d": line["distance_m"],
                "owner": line["owner"] or _("权属单位不详")})
    if reasons:
        return SiteCheck.Verdict.ATTENTION, reasons
    return SiteCheck.Verdict.PASS, [_("未发现小于规则最小安全距离的场所，周边%(m)g米内无重大危险源及重大、较大风险点")
                                    % {"m": result["nearby_m"]}]


def _number() -> str:
    today = timezone.localdate()
    prefix = f"GHXZ-{today:%Y%m%d}-"
    last = (SiteCheck.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
            .first())
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1) if last else 1:03d}"


def check_site(actor, *, project_name: str, kind: str, geometry: dict) -> SiteCheck:
    """Validate (a clear error per field, nothing stored), evaluate, save with a number, audit."""
    scope.require(actor, SiteCheck, scope.Action.CREATE)
    geom = _validate(project_name, kind, geometry)
    result = evaluate(kind, geom)
    township = locate_area(geom.centroid.x, geom.centroid.y, level="township")
    for _attempt in range(3):  # two planners saving in the same second: the next number
        try:
            with transaction.atomic():
                check = SiteCheck.objects.create(
                    number=_number(), project_name=project_name.strip(), kind=kind, geometry=geometry,
                    lon=geom.centroid.x, lat=geom.centroid.y, verdict=result["verdict"], result=result,
                    township=township, created_by=actor)
                record_change(actor=actor, action="create", instance=check,
                              after={"number": check.number, "verdict": check.verdict, "kind": kind})
                return check
        except IntegrityError:
            continue
    raise IntegrityError("site check number")
