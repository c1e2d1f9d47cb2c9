"""Inspections: a filled checklist is stored with its results, every failed item becomes a
pre-filled hazard (source: inspection, or patrol for a grid worker; the item's text and legal
basis in the description), and the task is done. A form sent again after the connection came
back (same client key) is stored once."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.attachments import store_attachment
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector
from citysafe.core.roles import Role
from citysafe.core.validation import check_location, text_problem
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection, InspectionTask
from citysafe.hazards.models import Hazard, Source
from citysafe.hazards.services.audited import update_audited
from citysafe.registry.models import Place

MAX_PHOTOS = 9  # as a hazard's step (services/hazards.MAX_PHOTOS_PER_STEP)


def _results(template: ChecklistTemplate, results, errors: ErrorCollector) -> list[dict]:
    if not isinstance(results, list) or len(results) != len(template.items):
        errors.add("results", _("须逐项填写检查结果（共%(n)s项）") % {"n": len(template.items)}, "results")
        return []
    cleaned = []
    for n, row in enumerate(results):
        ok = row.get("ok") if isinstance(row, dict) else None
        note = (row.get("note") or "").strip() if isinstance(row, dict) and isinstance(row.get("note", ""), str) else None
        if not isinstance(ok, bool) or note is None or len(note) > 500 or text_problem(note, multiline=True):
            errors.add("results", _("第%(n)s项：须选择合格或不合格，说明不超过500字") % {"n": n + 1}, "results")
            continue
        cleaned.append({"ok": ok, "note": note})
    return cleaned


@transaction.atomic
def submit_inspection(actor, *, template_id, place_id, results, task_id=None, lon=None, lat=None,
                      client_key: str = "", photos=()) -> tuple[Inspection, list[Hazard]]:
    """`photos`: files stored with the inspection (the attachment machinery: type, size, metadata
    stripped), only when it is new — a form resent after the connection returned adds none."""
    from citysafe.hazards.services.hazards import create_hazard

    scope.require(actor, Hazard, scope.Action.CREATE)
    errors = ErrorCollector()
    template = ChecklistTemplate.objects.filter(pk=template_id, archived_at__isnull=True).first()
    place = scope.narrow(actor, Place.objects.all()).filter(pk=place_id).first() if isinstance(place_id, int) else None
    task = scope.narrow(actor, InspectionTask.objects.filter(status=InspectionTask.Status.OPEN)).filter(
        pk=task_id).first() if task_id else None
    if template is None:
        errors.add("template_id", _("所选的检查表不存在"), "not_found")
    if place is None:
        errors.add("place_id", _("所选的场所不存在或不在您的数据范围内"), "not_found")
    if task_id and task is None:
        errors.add("task_id", _("所选的检查任务不存在、已完成或不在您的数据范围内"), "not_found")
    if lon is not None or lat is not None:
        errors.run(check_location, lon, lat, field="location")
    cleaned = _results(template, results, errors) if template else []
    if len(photos or ()) > MAX_PHOTOS:
        errors.add("photos", _("每次检查最多附%(n)s张照片") % {"n": MAX_PHOTOS}, "too_many")
    errors.raise_if_any()
    key = (client_key or "")[:64]
    if key:
        existing = Inspection.objects.filter(inspector=actor, client_key=key).first()
        if existing:
            return existing, []
    inspection = Inspection(template=template, task=task, place=place, inspector=actor, inspected_at=timezone.now(),
                            results=cleaned, failed=sum(1 for r in cleaned if not r["ok"]), lon=lon, lat=lat,
                            township_id=place.township_id, grid_id=place.grid_id, client_key=key)
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:  # the same offline form sent twice at once
        return Inspection.objects.get(inspector=actor, client_key=key), []
    record_change(actor=actor, action="create", instance=inspection, before=None, after=snapshot(inspection))
    for photo in photos or ():
        store_attachment(actor, photo, owner=inspection)
    source = Source.PATROL if actor.role == Role.GRID else (
        Source.SELF_CHECK if actor.role == Role.ENTERPRISE else Source.INSPECTION)
    hazards = []
    for item, result in zip(template.items, cleaned, strict=True):
        if result["ok"]:
            continue
        description = f"{item['text']}（{_('依据')}：{item.get('basis', '')}）" + (f"：{result['note']}" if result["note"] else "")
        data = {"source": source, "category": item.get("category", "other"), "description": description,
                "place_id": place.pk}
        if lon is not None and lat is not None:
            data.update(lon=lon, lat=lat)
        hazards.append(create_hazard(actor, data))
    if task is not None:
        update_audited(task, actor=actor, action="task_done", values={"status": InspectionTask.Status.DONE})
    return inspection, hazards


@transaction.atomic
def assign_task(actor, *, template_id, place_id, assignee_id, due_on) -> InspectionTask:
    """A regulator (admin, department, township) assigns an inspection of a place in its scope to a
    grid worker or inspector (a user who can see the place)."""
    from django.contrib.auth import get_user_model

    scope.require(actor, InspectionTask, scope.Action.CREATE)  # who assigns: permissions.py
    errors = ErrorCollector()
    place = scope.narrow(actor, Place.objects.all()).filter(pk=place_id).first() if isinstance(place_id, int) else None
    assignee = get_user_model().objects.filter(pk=assignee_id, is_active=True,
                                               role__in=(Role.GRID, Role.TOWNSHIP, Role.DEPARTMENT)).first()
    template = ChecklistTemplate.objects.filter(pk=template_id, archived_at__isnull=True).first()
    if place is None:
        errors.add("place_id", _("所选的场所不存在或不在您的数据范围内"), "not_found")
    if template is None:
        errors.add("template_id", _("所选的检查表不存在"), "not_found")
    if assignee is None or (place is not None and not scope.narrow(assignee, Place.objects.filter(pk=place.pk)).exists()):
        errors.add("assignee_id", _("检查人须为能看到该场所的网格员或检查人员"), "not_found")
    if due_on is None or due_on < timezone.localdate():
        errors.add("due_on", _("期限不能早于今天"), "past")
    errors.raise_if_any()
    # The place was looked up in the actor's scope: a township assigns only its own places.
    task = InspectionTask.objects.create(template=template, place=place, assignee=assignee, due_on=due_on,
                                         township_id=place.township_id, grid_id=place.grid_id)
    record_change(actor=actor, action="create", instance=task, before=None, after=snapshot(task))
    return task


def coverage(user, months: int = 6) -> list[dict]:
    """Places inspected / places per grid and month (the user's grids only)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    since = timezone.now() - timezone.timedelta(days=31 * months)
    places = dict(scope.narrow(user, Place.objects.filter(grid__isnull=False, archived_at__isnull=True))
                  .values_list("grid_id").annotate(n=Count("id")).order_by())
    rows = (scope.narrow(user, Inspection.objects.filter(inspected_at__gte=since))
            .annotate(month=TruncMonth("inspected_at")).values("grid_id", "grid__name", "month")
            .annotate(inspected=Count("place_id", distinct=True)).order_by("month", "grid__name"))
    return [{**row, "places": places.get(row["grid_id"], 0),
             "share": round(100 * row["inspected"] / places[row["grid_id"]], 1) if places.get(row["grid_id"]) else None}
            for row in rows]
