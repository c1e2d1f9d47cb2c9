"""The county outline for core.validation (registered in RegistryConfig.ready()): the
county-level Areas' geometry, keyed on their ids and last changes so an edited outline takes
effect at once.

Several counties in one deployment (issue 19): asked for one county, the provider gives that
county's outline; asked for none, the outline of every county of the deployment (their union),
so a location must lie in one of them, and data scope then keeps the record in the acting user's
own county. A one-county deployment reads exactly as before: one outline, one query."""
from citysafe.registry.models import Area


def county_outline(county_id: int | None = None):
    # Only the keys and versions here: the outline itself is loaded once per version, in core's cache.
    counties = Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True, geometry__isnull=False)
    if county_id is not None:
        counties = counties.filter(pk=county_id)
    rows = list(counties.order_by("id").values_list("id", "updated_at"))
    if not rows:
        return None
    key = "registry.Area:" + ";".join(f"{pk}:{updated.isoformat()}" for pk, updated in rows)
    return key, lambda: _geometry([pk for pk, _updated in rows])


def _geometry(pks: list[int]) -> dict:
    outlines = list(Area.objects.filter(pk__in=pks).order_by("id").values_list("geometry", flat=True))
    if len(outlines) == 1:
        return outlines[0]
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    return mapping(unary_union([shape(outline).buffer(0) for outline in outlines]))
