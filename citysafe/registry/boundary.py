"""The county outline for core.validation (registered in RegistryConfig.ready()): the
county-level Area's geometry, keyed on its id and last change so an edited outline takes
effect at once."""
from citysafe.registry.models import Area


def county_outline():
    # Only the key and version here: the outline itself is loaded once per version, in core's cache.
    county = (Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True)
              .filter(geometry__isnull=False).order_by("id").only("id", "updated_at").first())
    if county is None:
        return None
    return f"registry.Area:{county.pk}:{county.updated_at.isoformat()}", lambda: _geometry(county.pk)


def _geometry(pk) -> dict:
    return Area.objects.values_list("geometry", flat=True).get(pk=pk)
