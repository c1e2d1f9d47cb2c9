"""双随机 draws: the pool (enterprises of the department by class and township), the roster
(the department's inspectors, the required qualification), the avoidance map (registered
relations; whoever inspected the enterprise last), the seed — all recorded with the draw, which
kernels.random_draw turns into targets and inspector pairs. Re-running the kernel on the stored
inputs gives exactly the stored result (`verify_draw`). The draw creates the inspection tasks
(hazards.assign_task, for enterprises with a registered place). All or nothing; audited."""
import hashlib
import json
import secrets
from datetime import date

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection
from citysafe.hazards.services.inspections import assign_task
from citysafe.registry.models import Area, Enterprise, Place
from citysafe.supervision.models import (
    DrawnInspection,
    EnterpriseClass,
    Inspector,
    InspectorLink,
    Qualification,
    RandomDraw,
    SupervisionClass,
)
from citysafe.supervision.services.common import department_for, enterprises_of, field_error
from kernels.random_draw import DrawError, DrawInputs, draw, inputs_from_dict, inputs_to_dict


def _pool(actor, department, year: int, classes: list[str], township_ids: list[int]):
    """Operating enterprises of the department in the actor's county (several counties share
    industries: another county's enterprises never enter the pool), of the chosen classes for
    `year` (a manual class counts over the computed one), in the chosen townships (none: all)."""
    pool = scope.in_counties(actor, enterprises_of(department)).filter(
        operating_status=Enterprise.OperatingStatus.OPERATING)
    if township_ids:
        pool = pool.filter(township_id__in=township_ids)
    rows = EnterpriseClass.objects.filter(year=year, archived_at__isnull=True, enterprise__in=pool)
    return rows.filter(Q(manual_class__in=classes) | Q(manual_class="", computed_class__in=classes)) \
        .values_list("enterprise_id", flat=True)


def _avoidance(pool_query, inspectors: dict[int, int]) -> dict[int, set[int]]:
    """enterprise → inspector ids it must avoid: registered relations, the two drawn last time,
    and the roster member who filed the enterprise's latest inspection record. `pool_query`: the
    pool's enterprise ids as a sub-select (a 100,000-id IN list costs Django seconds to build)."""
    avoid: dict[int, set[int]] = {}
    for enterprise, inspector in InspectorLink.objects.filter(archived_at__isnull=True, enterprise_id__in=pool_query,
                                                              inspector_id__in=list(inspectors.values())) \
            .values_list("enterprise_id", "inspector_id"):
        avoid.setdefault(enterprise, set()).add(inspector)
    latest: dict[int, tuple] = {}
    for enterprise, draw_id, lead, second in DrawnInspection.objects.filter(enterprise_id__in=pool_query) \
            .values_list("enterprise_id", "draw_id", "lead_inspector_id", "second_inspector_id"):
        if enterprise not in latest or draw_id > latest[enterprise][0]:
            latest[enterprise] = (draw_id, lead, second)
    for enterprise, (_draw, lead, second) in latest.items():
        avoid.setdefault(enterprise, set()).update((lead, second))
    inspections = Inspection.objects.filter(place__owner_enterprise_id__in=pool_query, archived_at__isnull=True)
    last_at = dict(inspections.values("place__owner_enterprise_id").annotate(last=Max("inspected_at"))
                   .values_list("place__owner_enterprise_id", "last"))
    for enterprise, user, at in inspections.filter(inspector_id__in=list(inspectors)) \
            .values_list("place__owner_enterprise_id", "inspector_id", "inspected_at"):
        if last_at.get(enterprise) == at:
            avoid.setdefault(enterprise, set()).add(inspectors[user])
    return avoid


def _message(error: DrawError, qualification: str) -> tuple[str, str]:
    """The Chinese message naming the rule, and the field it belongs to."""
    d, label = error.detail, Qualification(qualification).label
    if error.rule == "empty_pool":
        return "classes", _("抽查对象库为空：所选分类和乡镇内没有正常经营的本部门监管企业，无法抽取（双随机须从检查对象名录库中抽取）")
    if error.rule == "targets_exceed_pool":
        return "targets", _("抽取企业数须在1至对象库企业数（%(pool)s家）之间") % d
    if error.rule == "too_few_inspectors":
        return "roster", _("执法检查人员名录库不足：每次检查须两名执法人员，名录库中只有%(inspectors)s名") % d
    if error.rule == "no_qualified_inspector":
        return "required_qualification", _("名录库中没有具备「%(label)s」执法资格的人员：每次检查至少一名须具备所需资格") % {"label": label}
    name = Enterprise.objects.filter(pk=d.get("enterprise")).values_list("name", flat=True).first() or ""
    if error.rule == "no_qualified_inspector_after_avoidance":
        return "required_qualification", _("企业「%(name)s」回避后没有具备「%(label)s」执法资格的人员（回避规则：与企业有登记关联、"
                                           "或上次检查过该企业的人员不得抽取）") % {"name": name, "label": label}
    return "roster", _("企业「%(name)s」回避后可抽取的执法人员不足两名（回避规则：与企业有登记关联、或上次检查过该企业的人员不得抽取）") \
        % {"name": name}


def _number(department) -> str:
    today = timezone.localdate()
    count = RandomDraw.objects.filter(drawn_at__year=today.year).count() + 1
    return f"SSJ-{today.year}-{department.code}-{count:04d}"[:32]


def _tasks(actor, rows: list[DrawnInspection], due_on: date) -> int:
    """An inspection task for the qualified inspector of each target with a registered place."""
    places = {}
    for place in Place.objects.filter(owner_enterprise_id__in=[r.enterprise_id for r in rows],
                                      archived_at__isnull=True).order_by("-id"):
        places[place.owner_enterprise_id] = place
    templates = list(ChecklistTemplate.objects.filter(archived_at__isnull=True).order_by("id"))
    made = 0
    for row in rows:
        place = places.get(row.enterprise_id)
        lead = row.lead_inspector.user
        # The task goes to someone who can open the place (assign_task's rule); otherwise the
        # drawn inspection stands without a task and the department assigns it by hand.
        if place is None or not templates or not scope.narrow(lead, Place.objects.filter(pk=place.pk)).exists() \
                or not scope.narrow(actor, Place.objects.filter(pk=place.pk)).exists():
            continue
        template = next((t for t in templates if t.place_type == place.place_type), templates[0])
        row.task = assign_task(actor, template_id=template.pk, place_id=place.pk,
                               assignee_id=lead.pk, due_on=due_on)
        made += 1
    DrawnInspection.objects.bulk_update(rows, ["task"], batch_size=1000)
    return made


@transaction.atomic
def run_draw(actor, *, title: str, year: int, classes: list[str], required_qualification: str, targets: int,
             due_on: date, township_ids: list[int] | None = None, department_id=None, seed: int | None = None,
             create_tasks: bool = True, is_synthetic: bool = False) -> RandomDraw:
    scope.require(actor, RandomDraw, scope.Action.CREATE)
    department = department_for(actor, RandomDraw, department_id)
    if not (title or "").strip():
        raise field_error("title", _("须填写抽查事项"), "required")
    if not classes or not set(classes) <= set(SupervisionClass.values):
        raise field_error("classes", _("须选择抽取的企业分类（A、B、C、D）"), "invalid")
    if required_qualification not in Qualification.values:
        raise field_error("required_qualification", _("所需执法资格不在可选范围内"), "invalid")
    township_ids = sorted(set(township_ids or []))
    townships = scope.in_counties(actor, Area.objects.filter(pk__in=township_ids, level=Area.Level.TOWNSHIP))
    if len(township_ids) != townships.count():
        raise field_error("township_ids", _("所选乡镇不存在"), "not_found")
    if due_on is None or due_on < timezone.localdate():
        raise field_error("due_on", _("检查期限不能早于今天"), "past")
    seed = secrets.randbelow(2 ** 53) if seed is None else seed
    if not 0 <= seed < 2 ** 63:
        raise field_error("seed", _("随机种子须为0至2^63-1之间的整数"), "out_of_range")

    pool_query = _pool(actor, department, year, classes, township_ids)
    pool = sorted(pool_query)
    roster = dict(Inspector.objects.filter(department=department, archived_at__isnull=True, user__is_active=True)
                  .values_list("user_id", "pk"))
    qualified = set(Inspector.objects.filter(pk__in=roster.values(), qualification=required_qualification)
                    .values_list("pk", flat=True))
    avoid = _avoidance(pool_query, roster)
    inputs = DrawInputs(seed=seed, targets=targets, enterprises=tuple(pool), inspectors=tuple(sorted(roster.values())),
                        qualified=frozenset(qualified), avoid={e: frozenset(ids) for e, ids in avoid.items()})
    try:
        result = draw(inputs)
    except DrawError as error:
        field, message = _message(error, required_qualification)
        raise field_error(field, message, error.rule) from None

    stored_inputs = inputs_to_dict(inputs)
    record = RandomDraw.objects.create(
        number=_number(department), title=title.strip()[:200], department=department, year=year,
        classes=sorted(classes), township_ids=township_ids, required_qualification=required_qualification,
        targets=targets, seed=seed, inputs=stored_inputs, result=result, due_on=due_on, drawn_by=actor,
        drawn_at=timezone.now(), is_synthetic=is_synthetic)
    inspectors = Inspector.objects.select_related("user").in_bulk({i for row in result for i in row["inspectors"]})
    rows = DrawnInspection.objects.bulk_create(
        [DrawnInspection(draw=record, position=n, enterprise_id=row["enterprise"],
                         lead_inspector=inspectors[row["inspectors"][0]],
                         second_inspector=inspectors[row["inspectors"][1]]) for n, row in enumerate(result, 1)],
        batch_size=1000)
    tasks = _tasks(actor, rows, due_on) if create_tasks else 0
    digest = hashlib.sha256(json.dumps(stored_inputs, sort_keys=True).encode()).hexdigest()
    record_change(actor=actor, action="draw", instance=record, before=None, after={
        "number": record.number, "seed": seed, "pool": len(pool), "roster": len(roster), "qualified": len(qualified),
        "avoidances": sum(len(v) for v in avoid.values()), "inputs_sha256": digest, "result": result, "tasks": tasks})
    return record


def verify_draw(record: RandomDraw) -> dict:
    """Re-run the kernel on the draw's stored inputs: the same targets and inspectors, or not."""
    again = draw(inputs_from_dict(record.inputs))
    return {"same": again == record.result, "seed": record.seed, "result": again,
            "inputs_sha256": hashlib.sha256(json.dumps(record.inputs, sort_keys=True).encode()).hexdigest()}
