"""Map points the existing layers do not already serve: open hazards (coloured by grade) and the
warnings in force (their townships' names). The four-colour townships, installations, sensors
with alarms and incidents come from the risk map, monitoring wall and emergency layers."""
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.db import replica_reads
from citysafe.early_warning.models import Warning
from citysafe.hazards.models import OPEN_STATES, Hazard

MAX_POINTS = 5000   # a county wall shows the worst first; the list holds the rest


@replica_reads  # up to 5,000 points: on the read replica when there is one (core.db)
def open_hazard_features(user) -> list[dict]:
    rows = (scope.narrow(user, Hazard.objects.filter(status__in=OPEN_STATES, lon__isnull=False, lat__isnull=False))
            .order_by("-is_overdue", "grade", "-found_at")
            .values_list("pk", "code", "description", "grade", "is_overdue", "lon", "lat")[:MAX_POINTS])
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
             "properties": {"name": code or str(pk), "text": description[:40], "major": grade == "major",
                            "overdue": overdue, "url": reverse("hazards:detail", args=["hazards", pk])}}
            for pk, code, description, grade, overdue, lon, lat in rows]


def warnings_in_force(user) -> list[dict]:
    rows = scope.narrow(user, Warning.objects.filter(status=Warning.Status.PUBLISHED)).order_by("level", "-id")
    return [{"headline": w.headline, "level": w.level, "level_label": w.get_level_display(),
             "url": reverse("early_warning:detail", args=["warnings", w.pk])} for w in rows[:20]]
