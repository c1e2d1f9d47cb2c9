"""Every field of a record with its Chinese label, for the detail page."""
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import masking, scope

# Internal columns with no meaning for a reader (bounding boxes, geometry shown as a map,
# the optimistic-lock version, the demo-data flag, the import timestamp).
HIDDEN = {"min_lon", "min_lat", "max_lon", "max_lat", "geometry", "digest", "entered_at",
          "version", "is_synthetic", "address_hash"}
# Shown only when they hold something (an archived record's 归档时间/归档人).
HIDDEN_WHEN_EMPTY = {"archived_at", "archived_by"}


def describe(obj, user) -> list[tuple[str, object]]:
    """Related records are named only where `user` may see them (core.scope.may_read_related):
    a safety officer or owner outside the viewer's scope shows as empty."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN or field.primary_key:
            continue
        if field.name in HIDDEN_WHEN_EMPTY and getattr(obj, field.attname) in (None, ""):
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.ForeignKey):
            related = getattr(obj, field.name)
            value = related if scope.may_read_related(user, related) else ""
        elif isinstance(field, models.BooleanField):
            value = _("是") if getattr(obj, field.name) else _("否")
        else:
            value = getattr(obj, field.name)
            if value is None:
                value = ""
            elif isinstance(value, float):
                # Six decimals are ~0.1 m: "103.42543967729999" neither reads nor fits on a phone.
                value = f"{value:.6f}".rstrip("0").rstrip(".")
            elif isinstance(value, datetime):
                # One unambiguous format whatever language the browser asks for.
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if field.name == "id_number":
            value = masking.id_number_for(user, value)
        elif field.name in ("reporter_name", "reporter_phone"):
            value = masking.reporter_field_for(user, field.name, value)
        rows.append((str(field.verbose_name), value))
    for field in obj._meta.many_to_many:
        rows.append((str(field.verbose_name), "、".join(
            str(o) for o in getattr(obj, field.name).all() if scope.may_read_related(user, o))))
    return rows
