import pytest

from kernels.random_draw import DrawError, DrawInputs, _pick, draw, inputs_from_dict, inputs_to_dict


def _inputs(**overrides):
    base = {"seed": 20260101, "targets": 5, "enterprises": tuple(range(1, 51)), "inspectors": tuple(range(100, 120)),
            "qualified": frozenset({100, 101, 102}), "avoid": {}}
    base.update(overrides)
    return DrawInputs(**base)


def test_the_same_seed_and_inputs_give_the_same_draw_whatever_the_input_order():
    shuffled = _inputs(enterprises=tuple(reversed(range(1, 51))), inspectors=tuple(reversed(range(100, 120))))
    assert draw(_inputs()) == draw(shuffled)
    assert draw(_inputs()) != draw(_inputs(seed=7))


def test_a_draw_survives_a_round_trip_through_its_stored_inputs():
    inputs = _inputs(avoid={3: frozenset({100, 105})})
    assert draw(inputs_from_dict(inputs_to_dict(inputs))) == draw(inputs)


def test_each_inspection_gets_two_different_inspectors_the_first_qualified():
    for row in draw(_inputs(targets=50)):
        first, second = row["inspectors"]
        assert first in {100, 101, 102} and first != second


def test_avoided_inspectors_are_never_drawn_for_that_enterprise():
    avoid = {e: frozenset({100, 101, 110, 111}) for e in range(1, 51)}
    for row in draw(_inputs(targets=50, avoid=avoid)):
        assert not set(row["inspectors"]) & avoid[row["enterprise"]]
        assert row["inspectors"][0] == 102


def test_pick_is_uniform_over_the_free_candidates():
    import random

    rng, counts = random.Random(1), {}
    for _ in range(6000):
        got = _pick(rng, [1, 2, 3, 4, 5, 6], {2, 5})
        counts[got] = counts.get(got, 0) + 1
    assert set(counts) == {1, 3, 4, 6}
    assert all(1300 < n < 1700 for n in counts.values())


@pytest.mark.parametrize(("overrides", "rule"), [
    ({"enterprises": ()}, "empty_pool"),
    ({"targets": 51}, "targets_exceed_pool"),
    ({"inspectors": (100,)}, "too_few_inspectors"),
    ({"qualified": frozenset({999})}, "no_qualified_inspector"),
    ({"avoid": {e: frozenset({100, 101, 102}) for e in range(1, 51)}}, "no_qualified_inspector_after_avoidance"),
])
def test_an_impossible_draw_names_the_rule(overrides, rule):
    with pytest.raises(DrawError) as caught:
        draw(_inputs(**overrides))
    assert caught.value.rule == rule
