"""A service error on a field the role's form leaves out is shown at the top of the form, named by
the field's Chinese label — never by the service's key (village_id, industry_ids, …)."""
import re

import pytest
from django.core.exceptions import ValidationError

from citysafe.core.field_labels import field_label
from citysafe.core.kinds import registry
from citysafe.core.kinds.views import _apply_errors
from citysafe.registry.models import Person

KINDS_WITH_FORMS = [kind for kind in registry.all_kinds() if kind.form is not None]


@pytest.mark.parametrize("kind", KINDS_WITH_FORMS, ids=lambda k: k.key)
def test_errors_on_fields_a_form_leaves_out_are_named_in_chinese_at_the_top(world, kind):
    # A form with no field at all for this role: every service error lands at the top.
    form = kind.form({}, user=world.admin, allowed=set())
    assert form.is_valid() and not form.fields
    keys = [name for name in kind.form.base_fields if name != "version"] + ["location", "__all__"]
    _apply_errors(form, ValidationError({key: ["取值不正确"] for key in keys}))
    shown = [str(e) for e in form.non_field_errors()]
    assert len(shown) == len(keys)
    for key in keys:
        assert not any(key in message for message in shown), (kind.key, key, shown)
    for message in shown:
        assert re.search(r"[\u4e00-\u9fff]", message.removesuffix("取值不正确")) or message == "取值不正确", message
    for name, field in kind.form.base_fields.items():
        if name != "version":
            assert f"{field.label}：取值不正确" in shown, (kind.key, name, shown)


def test_a_reverse_relation_key_is_no_crash(world):
    # Person is pointed at by places (responsible_persons, related_name "places").
    assert field_label(Person, "place_ids") == "place_ids"
    assert field_label(Person, "enterprise_id") == "所在企业"


def test_grid_worker_sees_a_township_error_by_its_label(world):
    """The grid worker's enterprise form has no township field: an error the service gives on it
    reads 所属乡镇 at the top of the form."""
    form = registry.get_kind("enterprises").form({"name": "某企业"}, user=world.grid_worker, allowed={"name"})
    assert form.is_valid()
    _apply_errors(form, ValidationError({"township_id": ["不符"], "location": ["超出"]}))
    assert [str(e) for e in form.non_field_errors()] == ["所属乡镇：不符", "位置（经纬度）：超出"]
