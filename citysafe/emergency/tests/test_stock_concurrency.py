"""Two dispatchers issue the last units of a material at the same moment, on two real
connections: exactly one order succeeds, the stock ends at zero, never below."""
import threading

from django.core.exceptions import ValidationError
from django.db import connection

from citysafe.emergency.models import Dispatch, Incident, Material
from citysafe.emergency.services import incidents as services


def test_two_orders_for_the_last_units_store_one_and_refuse_the_other(transactional_world):
    world = transactional_world
    # Two incidents (one each), so nothing but the stock itself is shared between the orders.
    incidents = [Incident.objects.filter(township=t).order_by("id").first() for t in (world.township_a,
                                                                                         world.township_b)]
    material = Material.objects.filter(stockpile__township=world.township_a).order_by("id").first()
    Material.objects.filter(pk=material.pk).update(quantity=3)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def issue(actor, incident):
        try:
            start.wait()
            services.issue_material(actor, incident.pk, material.pk, 3)
            outcomes.append("issued")
        except ValidationError as exc:
            assert "库存不足" in str(exc)
            outcomes.append("refused")
        finally:
            connection.close()

    pairs = [(world.township_officer, incidents[0]), (world.admin, incidents[1])]
    threads = [threading.Thread(target=issue, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["issued", "refused"]
    material.refresh_from_db()
    assert material.quantity == 0
    assert Dispatch.objects.filter(material=material).count() == 1
