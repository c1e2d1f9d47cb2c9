"""sms_copies: the SMS copy of an urgent notice, only to recipients with a phone, once."""
import pytest

from citysafe.notifications.models import Notification
from citysafe.notifications.services import sms_copies

pytestmark = pytest.mark.django_db


def test_an_urgent_notice_is_copied_by_sms_once_per_recipient_with_a_phone(world):
    reachable, silent = world.township_officer, world.other_township_officer
    reachable.phone, silent.phone = "13900005555", ""
    reachable.save(update_fields=["phone"])
    silent.save(update_fields=["phone"])
    for _repeat in range(2):
        sms_copies([reachable, silent], kind="test_urgent", subject="紧急", body="正文", dedupe_key="urgent:1")
    rows = Notification.objects.filter(kind="test_urgent")
    assert list(rows.values_list("channel", "recipient_id", "priority")) == [("sms", reachable.pk, 1)]
