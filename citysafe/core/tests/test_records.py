"""The shared write path's answers when the database refuses a save or a deletion: in the
user's language, naming the field or what still refers to the record, never the database's text."""
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from citysafe.core import records
from citysafe.registry.models import Enterprise, Industry, Place

DATABASE_WORDS = ("registry_", "constraint", "UNIQUE", "unique", "duplicate", "NOT NULL", "null value")


def save_new_industry(actor, **values):
    """A save that reaches the database unchecked, as when a concurrent save takes the code
    between a service's uniqueness check and its own save."""
    with transaction.atomic():
        instance = records.open_for_create(actor, Industry, {}, **values)
        return records.save_record(actor, instance, action="create", before=None)


def test_integrity_error_is_reported_without_database_text(world, caplog):
    taken = Industry.objects.order_by("id").first().code
    with caplog.at_level(logging.WARNING, logger="citysafe.core.records"), pytest.raises(ValidationError) as caught:
        save_new_industry(world.admin, code=taken, name="并发新增的行业")

    assert caught.value.message_dict == {"code": ["该值不能使用：已被其他记录使用或无权使用"]}
    assert not any(word in str(caught.value.message_dict) for word in DATABASE_WORDS)
    assert "registry_industry" in caplog.text  # the raw error is in the log for whoever investigates
    assert Industry.objects.filter(code=taken).count() == 1


def test_an_integrity_error_without_a_clashing_field_gets_the_general_message(world):
    with pytest.raises(ValidationError) as caught:
        save_new_industry(world.admin, code="no-such-code-yet", name=None)  # NOT NULL column
    [message] = caught.value.message_dict["__all__"]
    assert message.startswith("保存失败：")
    assert not any(word in message for word in DATABASE_WORDS)


def test_purge_of_a_referenced_record_names_what_refers_to_it(world):
    industry = world.enterprise_in_a.industry
    enterprises = list(Enterprise.objects.filter(industry=industry).order_by("id"))
    places = Place.objects.filter(industry=industry).count()

    with pytest.raises(ValidationError) as caught:
        records.purge_record(world.admin, Industry, industry.pk)

    [message] = caught.value.message_dict["__all__"]
    assert message.startswith("该记录仍被其他数据引用，不能彻底删除：")
    assert f"企业{len(enterprises)}条（{enterprises[0].name}" in message
    if places:
        assert f"场所设施{places}条" in message
    assert "Enterprise.industry" not in message and "protected" not in message
    assert Industry.objects.filter(pk=industry.pk).exists()
