"""Place types grouped into a few families, each with one colour and one marker shape, so the
map shows seven distinguishable groups instead of 25 near-identical hues.

Colours: Okabe-Ito, a palette chosen to stay distinct under the common colour-vision
deficiencies. Shapes add a second cue for readers who cannot tell the colours apart.
"""
from django.utils.translation import gettext_lazy as _

from citysafe.registry.models import PlaceType as T

# (key, label, colour, shape, types)
FAMILIES = (
    ("crowded", _("人员密集场所"), "#E69F00", "circle",
     (T.SCHOOL, T.HOSPITAL, T.MARKET, T.RELIGIOUS_VENUE, T.HOTEL, T.STATION, T.COMMERCIAL_COMPLEX)),
    ("hazard", _("危险源"), "#D55E00", "triangle",
     (T.GAS_STATION, T.HAZCHEM_SITE, T.GAS_WORKS, T.OIL_GAS_PIPELINE)),
    ("transport", _("交通设施"), "#0072B2", "square", (T.ROAD, T.BRIDGE, T.TUNNEL)),
    ("water", _("水利设施"), "#56B4E9", "circle", (T.RESERVOIR_BANK, T.WATERWAY, T.DRAINAGE)),
    ("urban", _("城市设施"), "#CC79A7", "square",
     (T.POWER_FACILITY, T.LANDFILL, T.SPOIL_GROUND, T.ELEVATOR, T.HIGH_RISE)),
    ("business", _("生产经营"), "#009E73", "triangle", (T.NINE_SMALL, T.CONSTRUCTION_SITE)),
    ("other", _("其他"), "#666666", "square", (T.OTHER,)),
)


def family_of(place_type: str) -> str:
    for key, _label, _colour, _shape, types in FAMILIES:
        if place_type in types:
            return key
    return "other"


def families_config() -> list[dict]:
    """What the map script needs: each family's key, label, colour, shape and types."""
    return [{"key": key, "label": str(label), "colour": colour, "shape": shape_name,
             "types": [str(t) for t in types]}
            for key, label, colour, shape_name, types in FAMILIES]
