"""双随机 draw: targets at random from a pool, two inspectors at random for each, at least one
holding the required qualification, none the enterprise must avoid (linked to it, or its last
inspector). Pure and reproducible: `random.Random(seed)` over inputs sorted by id, so the same
inputs and seed give exactly the same draw, anywhere (Python's Mersenne Twister and the
`sample`/`randrange` algorithms are stable across versions for integer seeds).

Avoidance by rejection: an avoided pick is drawn again, after counting that a free candidate
exists (so an impossible pick is an error naming the rule, never an endless loop). Measured
against building the eligible list per target and against taking the k-th free candidate by
bisect (bench/bench_random_draw.py): rejection was the fastest of the three, since an enterprise
avoids a handful of a roster of thousands.
"""
import random
from bisect import bisect_left
from dataclasses import dataclass, field

INSPECTORS_PER_INSPECTION = 2


class DrawError(ValueError):
    """A draw that cannot be made; `rule` names which rule it breaks, `detail` the numbers."""

    def __init__(self, rule: str, **detail):
        super().__init__(rule)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class DrawInputs:
    seed: int
    targets: int
    enterprises: tuple[int, ...]
    inspectors: tuple[int, ...]
    qualified: frozenset[int]
    avoid: dict[int, frozenset[int]] = field(default_factory=dict)


def _pick(rng: random.Random, candidates: list[int], blocked, extra: int | None = None) -> int | None:
    """A uniform choice among `candidates` (sorted, unique) that are neither in `blocked` nor
    `extra`: choose, and choose again while the pick is avoided (rejection sampling — uniform over
    the free candidates). The free ones are counted first, so a pick that cannot succeed returns
    None instead of looping; the expected number of tries is len(candidates) / free."""
    taken = sum(1 for b in blocked if _has(candidates, b))
    if extra is not None and extra not in blocked and _has(candidates, extra):
        taken += 1
    if len(candidates) - taken <= 0:
        return None
    pick = rng.choice(candidates)
    while pick in blocked or pick == extra:
        pick = rng.choice(candidates)
    return pick


def _has(candidates: list[int], value: int) -> bool:
    p = bisect_left(candidates, value)
    return p < len(candidates) and candidates[p] == value


def draw(inputs: DrawInputs) -> list[dict]:
    """[{"enterprise": id, "inspectors": [qualified id, other id]}] in the order drawn."""
    pool = sorted(set(inputs.enterprises))
    roster = sorted(set(inputs.inspectors))
    qualified = sorted(set(inputs.qualified) & set(roster))
    if not pool:
        raise DrawError("empty_pool")
    if inputs.targets < 1 or inputs.targets > len(pool):
        raise DrawError("targets_exceed_pool", targets=inputs.targets, pool=len(pool))
    if len(roster) < INSPECTORS_PER_INSPECTION:
        raise DrawError("too_few_inspectors", inspectors=len(roster), needed=INSPECTORS_PER_INSPECTION)
    if not qualified:
        raise DrawError("no_qualified_inspector", qualified=0)
    # A seeded PRNG on purpose: the draw must be re-runnable from its record; the seed itself
    # comes from `secrets` (the service), so it cannot be predicted before the draw.
    rng = random.Random(inputs.seed)  # noqa: S311
    chosen = rng.sample(pool, inputs.targets)
    result = []
    for enterprise in chosen:
        avoid = inputs.avoid.get(enterprise, frozenset())
        first = _pick(rng, qualified, avoid)
        if first is None:
            raise DrawError("no_qualified_inspector_after_avoidance", enterprise=enterprise)
        second = _pick(rng, roster, avoid, first)
        if second is None:
            raise DrawError("too_few_inspectors_after_avoidance", enterprise=enterprise)
        result.append({"enterprise": enterprise, "inspectors": [first, second]})
    return result


def inputs_to_dict(inputs: DrawInputs) -> dict:
    """The draw's inputs as JSON (stored with the draw, so it can be re-run from the record)."""
    return {"seed": inputs.seed, "targets": inputs.targets, "enterprises": sorted(inputs.enterprises),
            "inspectors": sorted(inputs.inspectors), "qualified": sorted(inputs.qualified),
            "avoid": {str(e): sorted(ids) for e, ids in sorted(inputs.avoid.items()) if ids}}


def inputs_from_dict(data: dict) -> DrawInputs:
    return DrawInputs(seed=int(data["seed"]), targets=int(data["targets"]),
                      enterprises=tuple(data["enterprises"]), inspectors=tuple(data["inspectors"]),
                      qualified=frozenset(data["qualified"]),
                      avoid={int(e): frozenset(ids) for e, ids in data.get("avoid", {}).items()})
