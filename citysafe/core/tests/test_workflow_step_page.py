"""The shared page side of a workflow step (core.workflow.views.take_step), through the hazard's
detail page: outside the scope the record does not exist, a stale version or an illegal step is a
message and changes nothing, a legal step is taken and said so."""
import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from citysafe.hazards.models import Hazard
from citysafe.hazards.tests.conftest import HazardWorld

pytestmark = pytest.mark.django_db


def _post(user, hazard, **data):
    client = Client()
    client.force_login(user)
    return client.post(reverse("hazards:transition", args=[hazard.pk]), data)


def test_a_step_on_another_townships_hazard_is_a_404_and_changes_nothing(world):
    hazard = HazardWorld(world).hazard()
    answer = _post(world.other_township_officer, hazard, transition="grade", version=hazard.version,
                   grade="general", reason="易于整改")
    assert answer.status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).version == hazard.version


def test_a_stale_version_is_a_message_and_a_current_one_takes_the_step(world):
    hazard = HazardWorld(world).hazard()
    stale = _post(world.township_officer, hazard, transition="grade", version=hazard.version + 5,
                  grade="general", reason="易于整改")
    assert stale.status_code == 302 and stale.url == reverse("hazards:detail", args=["hazards", hazard.pk])
    assert [m.level_tag for m in get_messages(stale.wsgi_request)] == ["error"]
    assert Hazard.objects.get(pk=hazard.pk).grade == hazard.grade

    taken = _post(world.township_officer, hazard, transition="grade", version=hazard.version,
                  grade="general", reason="易于整改")
    assert [str(m) for m in get_messages(taken.wsgi_request)] == ["隐患状态已更新"]
    assert Hazard.objects.get(pk=hazard.pk).grade == "general"
