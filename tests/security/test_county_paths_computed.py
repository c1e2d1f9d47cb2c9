"""Issue 19, cross-county paths through county-wide computations, which read more than the
user's own rows on purpose: the fire coverage plan (every station of the county covers across
township borders) and a department's 双随机 draws and annual plan (its industries' enterprises,
an industry list the counties share). Another county's rows must neither show nor count."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from citysafe.accounts.models import Organisation
from citysafe.emergency.models import FireStation
from citysafe.registry.models import Area, Enterprise
from citysafe.supervision.models import EnterpriseClass
from citysafe.supervision.services import draws, plans
from citysafe.supervision.services.common import enterprises_of
from tests.security.county_paths_world import body_of, fresh


def _first_county_stations(two):
    return FireStation.objects.filter(pk__lte=two.before["emergency.FireStation"], lon__isnull=False,
                                      archived_at__isnull=True)


@pytest.mark.parametrize("role", ["admin", "township", "department"])
def test_the_coverage_map_of_one_county_shows_no_fire_station_of_the_other(two, role):
    stations = set(_first_county_stations(two).values_list("name", flat=True))
    assert stations, "the first county has fire stations"
    client = Client()
    client.force_login(fresh(two.b[role]))
    features = json.loads(body_of(client.get("/emergency/coverage.geojson")))["features"]
    shown = {f["properties"]["name"] for f in features if f["properties"].get("kind") == "station"}
    assert shown & stations == set()


def test_the_coverage_figures_of_one_county_count_none_of_the_others_stations(two):
    from tests.security.test_county_paths_pages import NOISE

    client = Client()
    client.force_login(fresh(two.b["admin"]))
    before = NOISE.sub("", body_of(client.get("/emergency/coverage/")))
    # The first county's stations moved onto the second county's townships: they would cover them.
    for township, station in zip(Area.objects.filter(level="township", pk__gt=two.before["registry.Area"]),
                                 _first_county_stations(two), strict=False):
        FireStation.objects.filter(pk=station.pk).update(lon=(township.min_lon + township.max_lon) / 2,
                                                         lat=(township.min_lat + township.max_lat) / 2)
    assert NOISE.sub("", body_of(client.get("/emergency/coverage/"))) == before


def _classify_first_county(two, department) -> list[int]:
    """This year's classes for the first county's enterprises of the department's industries."""
    year = timezone.localdate().year
    rows = Enterprise.objects.filter(pk__lte=two.before["registry.Enterprise"], archived_at__isnull=True,
                                     industry__in=department.industries.all(),
                                     operating_status=Enterprise.OperatingStatus.OPERATING)
    ids = list(rows.values_list("pk", flat=True)[:30])
    EnterpriseClass.objects.filter(enterprise_id__in=ids, year=year).delete()
    EnterpriseClass.objects.bulk_create([EnterpriseClass(enterprise_id=pk, year=year, computed_class="A", score=90,
                                                         computed_at=timezone.now()) for pk in ids])
    return ids


def test_a_second_county_department_supervises_only_its_own_countys_enterprises(two):
    department = Organisation.objects.get(code="gh_yjj")
    assert department.industries.exists()
    pool = list(enterprises_of(department).values_list("pk", flat=True))
    assert pool and all(pk > two.before["registry.Enterprise"] for pk in pool)


def test_a_second_county_plan_lays_out_none_of_the_first_countys_enterprises(two):
    department = Organisation.objects.get(code="gh_yjj")
    assert _classify_first_county(two, department)
    with pytest.raises(ValidationError) as refused:  # nothing of its own county is classified yet
        plans.create_plan(fresh(two.b["admin"]), year=timezone.localdate().year, department_id=department.pk)
    assert "year" in refused.value.message_dict


def test_a_second_county_draw_neither_pools_nor_names_the_first_countys_townships_or_enterprises(two):
    department = Organisation.objects.get(code="gh_yjj")
    classified = _classify_first_county(two, department)
    admin = fresh(two.b["admin"])
    args = {"title": "跨县抽查", "year": timezone.localdate().year, "classes": ["A", "B", "C", "D"],
            "required_qualification": "hazchem", "targets": 1, "department_id": department.pk,
            "due_on": timezone.localdate() + timezone.timedelta(days=10)}
    township_a = Area.objects.filter(level="township", pk__lte=two.before["registry.Area"]).order_by("pk").first()
    with pytest.raises(ValidationError) as refused:
        draws.run_draw(admin, **args, township_ids=[township_a.pk])
    assert "township_ids" in refused.value.message_dict
    assert not set(draws._pool(admin, department, args["year"], args["classes"], [])) & set(classified)
    client = Client()
    client.force_login(admin)
    assert township_a.name not in body_of(client.get("/supervision/draws/"))
