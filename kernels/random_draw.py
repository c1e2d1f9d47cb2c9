"""双随机 draw: targets at random from a pool, two inspectors at random for each, at least one
holding the required qualification, none the enterprise must avoid (linked to it, or its last
inspector). Pure and reproducible: `random.Random(seed)` over inputs sorted by id, so the same
inputs and seed give exactly the same draw, anywhere (Python's Mersenne Twister and the
`sample`/`randrange` algorithms are stable across versions for integer seeds).

Avoidance without re-drawing: the k-th eligible inspector is found by skipping the avoided
positions (bisect over the sorted roster), so one random number is used per pick whatever the
conflicts — rejection sampling would consume a varying number (bench/bench_random_draw.py
compares the two).
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


def _pick(rng: random.Random, candidates: list[int], blocked: set[int] | frozenset[int]) -> int | None:
    """A uniform choice among `candidates` (sorted) that are not in `blocked`, using one
    `randrange`. None when every candidate is blocked."""
    positions = sorted({p for p in (bisect_left(candidates, b) for b in blocked)
                        if p < len(candidates) and candidates[p] in blocked})
    free = len(candidates) - len(positions)
    if free <= 0:
        return None
    k = rng.randrange(free)
    for p in positions:   # the k-th free index: step over each blocked index at or before it
        if p <= k:
            k += 1
        else:
            break
    return candidates[k]


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
        second = _pick(rng, roster, set(avoid) | {first})
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
