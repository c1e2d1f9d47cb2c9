"""The dashboard's headline numbers. Each number is a `Metric`: the record kind whose list
page shows its records and that list's filters. The count is taken through the same
`core.kinds.selectors.list_records` base (core.scope) and the same filter conditions the list
applies, so the dashboard's number and the list's total are equal by construction (tested);
all metrics of one kind are one aggregate query (COUNT … FILTER per metric)."""
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core import scope
from citysafe.core.kinds import get_kind
from citysafe.core.kinds.selectors import filter_value, list_records
from citysafe.hazards.models import Inspection
from citysafe.monitoring.models import Alarm
from citysafe.monitoring.models.alarms import ACTIVE as ACTIVE_ALARMS


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str                       # record kind key (core.kinds)
    filters: dict = field(default_factory=dict)   # the list page's query (filter name → value)
    tone: str = ""                  # css accent: red, orange, yellow, blue


RISK_LEVELS = [("risk_level_1", _("重大风险"), "1", "red"), ("risk_level_2", _("较大风险"), "2", "orange"),
               ("risk_level_3", _("一般风险"), "3", "yellow"), ("risk_level_4", _("低风险"), "4", "blue")]

METRICS = [
    *[Metric(key, label, "risk-points", {"level": value}, tone) for key, label, value, tone in RISK_LEVELS],
    Metric("installations", _("重大危险源"), "hazard-installations", {"is_major": "true"}, "red"),
    Metric("hazards_open", _("未销号隐患"), "hazards", {"stage": "open"}, "orange"),
    Metric("hazards_overdue", _("逾期未整改隐患"), "hazards", {"is_overdue": "true"}, "red"),
    Metric("hazards_major", _("未销号重大隐患"), "hazards", {"stage": "open", "grade": "major"}, "red"),
    Metric("warnings", _("生效中的预警"), "warnings", {"status": "published"}, "orange"),
    Metric("incidents", _("处置中的突发事件"), "incidents", {"stage": "active"}, "red"),
]
ALARM_LEVELS = [(1, _("一级报警"), "red"), (2, _("二级报警"), "orange"), (3, _("三级报警"), "yellow")]


def condition(kind, filters: dict) -> Q:
    """The Q the kind's list applies for these filters (list_records' own rules: a preset's Q,
    else the field's typed value)."""
    q = Q()
    presets = kind.presets
    for name, value in filters.items():
        if name in presets and name not in kind.filters:
            q &= presets[name][value]
        else:
            q &= Q(**{name: filter_value(kind.model, name, value)})
    return q


def list_url(kind, filters: dict) -> str:
    return reverse(f"{kind.namespace}:list", args=[kind.key]) + ("?" + urlencode(filters) if filters else "")


def _count_kind(user, kind_key: str, metrics: list[Metric], extra: dict) -> dict[str, int]:
    kind = get_kind(kind_key)
    conditions = {m.key: condition(kind, {**m.filters, **extra}) for m in metrics}
    # WHERE any of the conditions: the same counts, but the database may use its indexes
    # instead of reading every row (a million hazards, nearly all closed)
    base = list_records(user, kind, related=False).filter(reduce(or_, conditions.values())).order_by()
    return base.aggregate(**{key: Count("pk", filter=q) for key, q in conditions.items()})


def kind_metrics(user, extra: dict | None = None) -> list[dict]:
    """[{key, label, value, url, tone, kind}] — one query per record kind. `extra` adds a filter
    to every metric (e.g. a township's id on a ranking row)."""
    extra = extra or {}
    by_kind: dict[str, list[Metric]] = {}
    for metric in METRICS:
        by_kind.setdefault(metric.kind, []).append(metric)
    values = {}
    for kind_key, metrics in by_kind.items():
        values.update(_count_kind(user, kind_key, metrics, extra))
    return [{"key": m.key, "label": m.label, "value": values[m.key], "tone": m.tone, "kind": m.kind,
             "url": list_url(get_kind(m.kind), {**m.filters, **extra})} for m in METRICS]


def active_alarms(user) -> list[dict]:
    """Active alarms by level (one grouped query); they are listed on the monitoring wall."""
    counts = dict(scope.narrow(user, Alarm.objects.filter(status__in=ACTIVE_ALARMS)).order_by()
                  .values_list("level").annotate(n=Count("pk")))
    url = reverse("monitoring:wall")
    return [{"key": f"alarms_{level}", "label": label, "value": counts.get(level, 0), "tone": tone, "url": url}
            for level, label, tone in ALARM_LEVELS]


def month_start(now=None):
    now = timezone.localtime(now or timezone.now())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def inspections_between(user, since, until=None) -> int:
    rows = scope.narrow(user, Inspection.objects.filter(inspected_at__gte=since))
    if until is not None:
        rows = rows.filter(inspected_at__lt=until)
    return rows.count()


def headline(user) -> dict:
    """Everything the dashboard's number tiles show (9 queries whatever the data's size)."""
    metrics = {m["key"]: m for m in kind_metrics(user)}
    alarms = active_alarms(user)
    inspections = {"key": "inspections", "label": _("本月检查次数"), "tone": "blue", "url": "",
                   "value": inspections_between(user, month_start())}
    return {"risk": [metrics[key] for key, *_rest in RISK_LEVELS],
            "hazards": [metrics["hazards_open"], metrics["hazards_overdue"], metrics["hazards_major"]],
            "alarms": alarms,
            "other": [metrics["installations"], metrics["warnings"], metrics["incidents"], inspections],
            "alarm_total": sum(a["value"] for a in alarms)}
