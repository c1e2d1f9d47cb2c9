"""Assessment inputs are checked against the method's score table; each refusal names the
field (inputs.<factor>) and stores nothing."""
import pytest
from django.core.exceptions import ValidationError

from citysafe.risks.models import Assessment


@pytest.mark.parametrize(("method", "inputs", "score", "level"), [
    ("lec", {"l": 3, "e": 6, "c": 7}, 126, 3),
    ("lec", {"l": 1, "e": 6, "c": 7}, 42, 4),
    ("ls", {"l": 4, "s": 5}, 20, 1),
    ("ls", {"l": 4, "s": 4}, 16, 2),
    ("ls", {"l": 3, "s": 3}, 9, 3),
    ("mes", {"m": 3, "e": 6, "s": 10}, 180, 1),
    ("mes", {"m": 3, "e": 6, "s": 4}, 72, 3),
])
def test_each_method_scores_and_grades_by_the_seeded_tables(rw, world, method, inputs, score, level):
    a = rw.assessment(world.department, rw.point(), inputs, method=method)
    assert (a.score, a.level) == (score, level)


@pytest.mark.parametrize(("inputs", "field"), [
    ({"l": 7, "e": 6, "c": 15}, "inputs.l"),
    ({"l": 6, "e": 6}, "inputs.c"),
    ({"l": 6, "e": 6, "c": 15, "x": 1}, "inputs.x"),
    ({"l": True, "e": 6, "c": 15}, "inputs.l"),
    ({"l": "6", "e": 4, "c": 15}, "inputs.e"),
])
def test_inputs_off_the_scale_are_refused_naming_the_factor(rw, world, inputs, field):
    point = rw.point()
    with pytest.raises(ValidationError) as bad:
        rw.assessment(world.department, point, inputs)
    assert field in bad.value.message_dict
    assert not Assessment.objects.filter(risk_point=point).exists()


def test_a_direct_grading_needs_a_level_and_a_reason(rw, world):
    point = rw.point()
    with pytest.raises(ValidationError) as bad:
        rw.assessment(world.department, point, method="direct", level=2)
    assert set(bad.value.message_dict) == {"reason"}
    direct = rw.assessment(world.department, point, method="direct", level=2, reason="参照同类事故直接判定")
    assert (direct.level, direct.score, direct.inputs) == (2, None, {})
