"""The synthetic pipe network of the demo: marked synthetic, in the county seat, found by a dig check."""
from citysafe.siting.models import UndergroundLine, UtilityTunnel
from citysafe.siting.services import dig_check
from citysafe.siting.underground_demo import SOURCE, build_underground_demo


def test_the_demo_network_is_synthetic_and_a_dig_check_at_a_crossing_finds_several_kinds(world):
    made = build_underground_demo(world.admin)
    assert made["lines"] > 200 and made["tunnels"] == 1
    assert not UndergroundLine.objects.exclude(data_source=SOURCE).exists()
    assert set(UndergroundLine.objects.filter(code__startswith="YS-").values_list("township_id", flat=True)) == {
        world.township_a.pk}
    assert build_underground_demo(world.admin) == {"lines": 0, "tunnels": 0}  # idempotent
    tunnel = UtilityTunnel.objects.get(code="YS-GL-1")
    start = tunnel.geometry["coordinates"][0]
    crossing = {"type": "Point", "coordinates": tunnel.geometry["coordinates"][0]}
    hits = dig_check(world.township_officer, crossing, 10).hits
    assert {"water", "drainage", "telecom", "tunnel"} <= {h.kind for h in hits} and start
    assert all(h.owner.endswith("（演示）") for h in hits)
