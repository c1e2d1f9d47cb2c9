"""Major hazard installations (重大危险源) by GB 18218-2018: identification (S) and grading (R).

S = Σ qᵢ/Qᵢ (a unit is a major hazard installation when S ≥ 1); R = α · Σ βᵢ qᵢ/Qᵢ, graded
一级 R ≥ 100, 二级 50 ≤ R < 100, 三级 10 ≤ R < 50, 四级 R < 10; α from the people within 500 m.
Values from ../shared/STANDARDS.md ("Major hazard installations, GB 18218-2018"); the app seeds
its editable substance catalogue from SUBSTANCES.

Sums are taken exactly (fractions of the decimals as written), so whether S reaches 1 or R a
grade boundary never depends on binary rounding: three holdings of 0.1 t phosgene against
Q = 0.3 t give S = 1 exactly.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from kernels.risk_scoring import MethodInputError, grade

# Grade thresholds on R (GB 18218-2018 §4.2.3): (inclusive lower bound, grade 1..4).
R_THRESHOLDS = ((100, 1), (50, 2), (10, 3), (0, 4))
# α by people within 500 m of the unit's boundary (GB 18218-2018 table 5): (at least n people, α).
ALPHA_BY_PEOPLE = ((100, 2.0), (50, 1.5), (30, 1.2), (1, 1.0), (0, 0.5))
PEOPLE_RADIUS_M = 500

# β by hazard class (GB 18218-2018 table 4) where no named toxic-gas β applies. Any other W class: 1.
DEFAULT_BETA_BY_CLASS: dict[str, float] = {
    "J1": 4, "J2": 1, "J3": 2, "J4": 2, "J5": 1,
    "W1.1": 2, "W1.2": 2, "W1.3": 2,  # explosives
    "W2": 1.5, "W5.1": 1.5, "W6.1": 1.5, "W7.1": 1.5,  # flammable gases and the most reactive classes
}
OTHER_W_CLASS_BETA = 1.0

# β for named toxic gases (GB 18218-2018 table 3), keyed by CAS number: (name, β).
TOXIC_GAS_BETA: dict[str, tuple[str, float]] = {
    "630-08-0": ("一氧化碳", 2), "7446-09-5": ("二氧化硫", 2), "7664-41-7": ("氨", 2), "75-21-8": ("环氧乙烷", 2),
    "7647-01-0": ("氯化氢", 3), "74-83-9": ("溴甲烷", 3),
    "7782-50-5": ("氯", 4),
    "7783-06-4": ("硫化氢", 5), "7664-39-3": ("氟化氢", 5),
    "10102-44-0": ("二氧化氮", 10), "74-90-8": ("氰化氢", 10),
    "75-44-5": ("碳酰氯(光气)", 20), "7803-51-2": ("磷化氢", 20), "624-83-9": ("异氰酸甲酯", 20),
}


def beta_for_class(hazard_class: str) -> float:
    """β of a hazard class: table 4, any other W class 1; unknown classes are refused."""
    if hazard_class in DEFAULT_BETA_BY_CLASS:
        return float(DEFAULT_BETA_BY_CLASS[hazard_class])
    if hazard_class.startswith("W"):
        return OTHER_W_CLASS_BETA
    raise MethodInputError("hazard_class", "unknown_class", f"unknown hazard class {hazard_class!r}")


def _substance(name: str, cas: str, hazard_class: str, critical: float, beta: float | None = None) -> dict:
    if beta is None:
        beta = TOXIC_GAS_BETA[cas][1] if cas in TOXIC_GAS_BETA else beta_for_class(hazard_class)
    return {"name": name, "cas": cas, "hazard_class": hazard_class, "critical_t": critical, "beta": float(beta),
            "source": "GB 18218-2018"}


# The named substances with their critical quantity Q (t), STANDARDS.md. Classes: flammable gases
# W2 (β 1.5); liquids stored at ambient temperature W5.4 (flammable liquid category 2, β 1 as an
# "other W class"). Toxic gases take the named β of table 3 whatever their class; their J class
# (acute toxicity of a gas: J1 category 1, J3 categories 2–3) is informational and is our reading.
SUBSTANCES: list[dict] = [
    _substance("液化石油气", "68476-85-7", "W2", 50),
    _substance("汽油", "86290-81-5", "W5.4", 200),
    _substance("氯", "7782-50-5", "J3", 5),
    _substance("氨", "7664-41-7", "J3", 10),
    _substance("甲烷、天然气", "74-82-8", "W2", 50),
    _substance("甲醇", "67-56-1", "W5.4", 500),
    _substance("乙醇", "64-17-5", "W5.4", 500),
    _substance("氢", "1333-74-0", "W2", 5),
    _substance("苯", "71-43-2", "W5.4", 50),
    _substance("硫化氢", "7783-06-4", "J3", 5),
    _substance("碳酰氯(光气)", "75-44-5", "J1", 0.3),
]


def _exact(field: str, value) -> Fraction:
    """The decimal the user wrote, as an exact fraction (str() of a float is its shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | np.integer | np.floating):
        raise MethodInputError(field, "not_a_number", f"{field} must be a number, got {value!r}")
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            raise MethodInputError(field, "not_a_number", f"{field} must be a finite number")
        return Fraction(str(float(value)))
    if isinstance(value, Decimal) and not value.is_finite():
        raise MethodInputError(field, "not_a_number", f"{field} must be a finite number")
    return Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)


@dataclass(frozen=True)
class Holding:
    """One substance in a unit: q = maximum quantity present (t), critical = Q (t), β."""

    q: float
    critical: float
    beta: float = 1.0

    def __post_init__(self):
        if _exact("q", self.q) < 0:
            raise MethodInputError("q", "negative", f"quantity q must not be negative, got {self.q}")
        if _exact("critical", self.critical) <= 0:
            raise MethodInputError("critical", "not_positive",
                                   f"critical quantity Q must be greater than 0, got {self.critical}")
        if _exact("beta", self.beta) <= 0:
            raise MethodInputError("beta", "not_positive", f"β must be greater than 0, got {self.beta}")

    def ratio(self) -> Fraction:
        return _exact("q", self.q) / _exact("critical", self.critical)


def _s_exact(holdings: Iterable[Holding]) -> Fraction:
    return sum((h.ratio() for h in holdings), Fraction(0))


def s_value(holdings: Iterable[Holding]) -> float:
    """S = Σ qᵢ/Qᵢ."""
    return float(_s_exact(holdings))


def is_major(holdings: Iterable[Holding]) -> bool:
    """A major hazard installation when S ≥ 1 (compared exactly)."""
    return _s_exact(holdings) >= 1


def alpha_for_people(n: int) -> float:
    """α for n people within 500 m of the unit's boundary."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise MethodInputError("people", "not_an_integer", f"people must be a whole number, got {n!r}")
    if n < 0:
        raise MethodInputError("people", "negative", f"people must not be negative, got {n}")
    for at_least, alpha in ALPHA_BY_PEOPLE:
        if n >= at_least:
            return alpha
    raise AssertionError("ALPHA_BY_PEOPLE ends at 0 people")  # pragma: no cover


def _r_exact(holdings: Iterable[Holding], alpha: float) -> Fraction:
    a = _exact("alpha", alpha)
    if a <= 0:
        raise MethodInputError("alpha", "not_positive", f"α must be greater than 0, got {alpha}")
    return a * sum((_exact("beta", h.beta) * h.ratio() for h in holdings), Fraction(0))


def r_value(holdings: Iterable[Holding], alpha: float) -> float:
    """R = α · Σ βᵢ qᵢ/Qᵢ."""
    return float(_r_exact(holdings, alpha))


def grade_r(r: float) -> int:
    """GB 18218 grade: 1 (一级) R ≥ 100; 2 (二级) 50 ≤ R < 100; 3 (三级) 10 ≤ R < 50; 4 (四级) R < 10."""
    return grade(r, R_THRESHOLDS)


@lru_cache(maxsize=64)
def _local_metres(lon_0: float, lat_0: float) -> pyproj.Transformer:
    # A Transverse Mercator centred on the unit (scale 1 on its meridian): within a few km its
    # distances are metres to better than 1 mm. UTM 48N would be 0.014 % short at 103.4°E.
    crs = pyproj.CRS.from_proj4(f"+proj=tmerc +lon_0={lon_0} +lat_0={lat_0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m")
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _geometry(value) -> BaseGeometry:
    if isinstance(value, BaseGeometry):
        return value
    x, y = value
    return shapely.Point(float(x), float(y))


def people_within(unit_xy, places: Sequence, metres: float = PEOPLE_RADIUS_M) -> int:
    """People in the places whose geometry comes within `metres` of the unit (lon/lat, WGS84/CGCS2000).

    unit_xy: (lon, lat) or a shapely geometry (the unit's outline: distance from its boundary);
    places: (geometry or (lon, lat), people) pairs. Distances in a local Transverse Mercator.
    """
    unit = _geometry(unit_xy)
    if unit.is_empty:
        raise MethodInputError("unit", "empty_geometry", "the unit has no geometry")
    if not places:
        return 0
    geoms = [_geometry(g) for g, _ in places]
    people = np.array([int(p) for _, p in places], dtype=np.int64)
    if (people < 0).any():
        raise MethodInputError("people", "negative", "people present in a place must not be negative")
    centre = unit.centroid
    transformer = _local_metres(round(centre.x, 1), round(centre.y, 1))
    project = lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))  # noqa: E731
    unit_m = shapely.transform(unit, project)
    places_m = shapely.transform(np.array(geoms, dtype=object), project)
    near = shapely.dwithin(unit_m, places_m, float(metres))
    return int(people[near].sum())
