"""Major hazard installations (GB 18218-2018): S, α, R and the grade recomputed when an
inventory, a substance row or a nearby place changes; a major unit's risk point is at least 较大."""
import pytest
from django.core.exceptions import ValidationError

from citysafe.registry.models import Place
from citysafe.registry.services import update_place
from citysafe.risks import services
from citysafe.risks.models import Inventory, MajorHazardInstallation, Substance


def _unit(rw, world, **extra):
    return services.create_installation(world.admin, {"unit_name": "测试储罐区", "enterprise_id": rw.enterprise.pk,
                                                      **extra})


def _chlorine():
    return Substance.objects.get(cas="7782-50-5")


def test_an_inventory_over_the_critical_quantity_makes_a_graded_major_hazard_with_a_significant_risk_point(rw, world):
    unit = _unit(rw, world)
    assert (unit.is_major, unit.grade, unit.risk_point_id) == (False, 0, None)
    services.create_inventory(world.admin, {"installation_id": unit.pk, "substance_id": _chlorine().pk,
                                            "max_quantity": 30})
    unit.refresh_from_db()
    # S = 30/5 = 6; R = α·β·q/Q = α·4·6 = 24α
    assert unit.s_value == pytest.approx(6.0) and unit.is_major
    assert unit.r_value == pytest.approx(24 * unit.alpha)
    assert unit.grade == (2 if unit.alpha == 2.0 else 3)
    assert unit.risk_point.level == 2 and unit.risk_point.level_basis == "major_hazard"


def test_changing_the_inventory_or_the_substance_row_recomputes(rw, world):
    unit = _unit(rw, world, alpha_source="entered", alpha_entered=1.0, alpha_reason="周边为农田，人员极少")
    row = services.create_inventory(world.admin, {"installation_id": unit.pk, "substance_id": _chlorine().pk,
                                                  "max_quantity": 30})
    unit.refresh_from_db()
    assert (unit.alpha, unit.r_value, unit.grade) == (1.0, pytest.approx(24.0), 3)
    services.update_inventory(world.admin, row.pk, {"max_quantity": 2}, expected_version=row.version)
    unit.refresh_from_db()
    assert (unit.is_major, unit.grade) == (False, 0)  # S = 0.4
    chlorine = _chlorine()
    services.update_substance(world.admin, chlorine.pk, {"critical_quantity": 1}, expected_version=chlorine.version)
    unit.refresh_from_db()
    assert unit.is_major and unit.s_value == pytest.approx(2.0) and unit.r_value == pytest.approx(8.0)


def test_people_moving_into_a_nearby_place_recompute_alpha(rw, world):
    unit = _unit(rw, world)
    services.create_inventory(world.admin, {"installation_id": unit.pk, "substance_id": _chlorine().pk,
                                            "max_quantity": 30})
    unit.refresh_from_db()
    place = Place.objects.filter(pk__in=Place.objects.all()).order_by("id").first()
    from shapely.geometry import Point, mapping

    update_place(world.admin, place.pk, {"geometry": mapping(Point(unit.lon + 0.001, unit.lat)),
                                         "people_present": 5000}, expected_version=place.version)
    unit.refresh_from_db()
    assert unit.people_nearby >= 5000 and unit.alpha == 2.0


def test_an_unknown_substance_is_refused_naming_the_field(rw, world):
    unit = _unit(rw, world)
    with pytest.raises(ValidationError) as bad:
        services.create_inventory(world.admin, {"installation_id": unit.pk, "substance_id": 999999,
                                                "max_quantity": 3})
    assert set(bad.value.message_dict) == {"substance_id"}
    assert not Inventory.objects.filter(installation=unit).exists()


@pytest.mark.parametrize("quantity", [-1, None, "", "lots", float("nan")])
def test_a_negative_or_missing_quantity_is_refused_naming_the_field(rw, world, quantity):
    unit = _unit(rw, world)
    with pytest.raises(ValidationError) as bad:
        services.create_inventory(world.admin, {"installation_id": unit.pk, "substance_id": _chlorine().pk,
                                                "max_quantity": quantity})
    assert set(bad.value.message_dict) == {"max_quantity"}
    assert not Inventory.objects.filter(installation=unit).exists()


def test_an_entered_alpha_needs_a_reason(rw, world):
    with pytest.raises(ValidationError) as bad:
        _unit(rw, world, alpha_source="entered", alpha_entered=1.2)
    assert set(bad.value.message_dict) == {"alpha_reason"}
    assert not MajorHazardInstallation.objects.filter(unit_name="测试储罐区").exists()


def test_the_catalogue_is_seeded_from_the_kernel_and_names_its_source(db):
    from kernels.major_hazard import SUBSTANCES

    names = set(Substance.objects.values_list("name", flat=True))
    assert {row["name"] for row in SUBSTANCES} <= names
    assert all("GB 18218" in s for s in Substance.objects.values_list("source", flat=True)[:5])
