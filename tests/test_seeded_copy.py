"""Transactional tests (flushed afterwards) each start from the seeded county: after a flush,
conftest.SeededCopy puts the session's seeded database back (SQLite: the backup API, ids
included; PostgreSQL re-seeds, see SeededCopy.ON_POSTGRESQL), so what one such test changes is
gone for the next."""
import pytest

from citysafe.accounts.models import User
from citysafe.registry.models import Enterprise


@pytest.mark.parametrize("turn", [1, 2])
def test_each_transactional_test_starts_from_the_seeded_county(transactional_world, turn):
    ent = transactional_world.enterprise_in_a
    assert not ent.name.startswith("改过")
    assert User.objects.filter(username="system").exists()  # rows of data migrations come back too
    assert transactional_world.department.organisation.code == "yjj"
    Enterprise.objects.filter(pk=ent.pk).update(name="改过" + ent.name)
