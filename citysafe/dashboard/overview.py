"""Everything one dashboard shows, gathered for the page, the big screen and its JSON refresh
(the same dict: the refresh redraws what the page drew)."""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.db import replica_reads
from citysafe.dashboard.selectors import kpis, layers, rankings, trends
from kernels.chinese_numbers import format_chinese_number


def _tile(metric: dict) -> dict:
    return {**metric, "label": str(metric["label"]), "text": format_chinese_number(metric["value"])}


@replica_reads  # heavy counts and aggregates: on the read replica when there is one (core.db)
def overview(user) -> dict:
    head = kpis.headline(user)
    first, last = trends.last_months(12)
    today = timezone.localdate()
    days = trends.alarms_by_day(user, today - timezone.timedelta(days=29), today)
    months = trends.hazards_by_month(user, first, last)
    since = rankings.year_start()
    return {
        "tiles": {group: [_tile(m) for m in head[group]] for group in ("risk", "hazards", "alarms", "other")},
        "charts": {
            "months": [m["month"].strftime("%Y-%m") for m in months],
            "found": [m["found"] for m in months], "closed": [m["closed"] for m in months],
            "rate": [m["rate"] for m in months],
            "days": [d["day"].strftime("%m-%d") for d in days], "alarms": [d["alarms"] for d in days],
            "labels": {"found": _("发现隐患"), "closed": _("销号隐患"), "rate": _("按期销号率（%）"),
                       "alarms": _("报警次数"), "months": _("隐患发现与销号（近12个月）"),
                       "days": _("每日报警（近30天）")},
        },
        "townships": rankings.townships(user, since=since),
        "departments": rankings.departments(user, since=since),
        "warnings": layers.warnings_in_force(user),
        "updated": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }


def map_config(user) -> dict:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "layers": {
            "base": reverse("registry_map:base"),
            "townships": reverse("risk_map:layer", args=["townships"]),
            "installations": reverse("risk_map:layer", args=["installations"]),
            "hazards": reverse("dashboard:hazards-geojson"),
            "sensors": reverse("monitoring:sensors-geojson"),
            "incidents": reverse("emergency:layer", args=["incidents"]),
        },
        "names": {"townships": _("乡镇风险四色"), "installations": _("重大危险源"), "hazards": _("未销号隐患"),
                  "sensors": _("监测报警"), "incidents": _("突发事件")},
    }


def refresh_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_REFRESH_SECONDS", 60))
