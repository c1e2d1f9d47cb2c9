"""The restricted / obsolete industry catalogue (限制类/淘汰类): matching enterprises, scoping of
the matches (service, API, page, ledger), re-matching on a catalogue edit, the status following
the enterprise's operating status."""
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from citysafe.registry.models import Enterprise
from citysafe.siting.models import CatalogueMatch, MatchStatus, RestrictedIndustryItem
from citysafe.siting.selectors import catalogue_matches_for
from citysafe.siting.services.catalogue import create_item, rematch, update_item
from citysafe.siting.services.ledger import write_match_ledger
from tests.api.conftest import Api


def item_for(world, keywords: str, **extra) -> RestrictedIndustryItem:
    data = {"category": "obsolete", "item_kind": "process", "name": "测试淘汰工艺", "keywords": keywords,
            "source_document": "《产业结构调整指导目录（2024年本）》", "clause": "淘汰类", "action": "close",
            "default_deadline_days": 90, **extra}
    return create_item(world.admin, data)


def current(item) -> set[int]:
    return set(CatalogueMatch.objects.filter(item=item, is_current=True).values_list("enterprise_id", flat=True))


def test_the_seeded_catalogue_names_its_source_for_every_entry(db):
    items = RestrictedIndustryItem.objects.all()
    assert items.count() >= 5
    assert not items.filter(source_document="").exists()
    assert items.filter(name__contains="危险化学品", clause="二（六）", action="relocate").exists()


def test_a_township_sees_only_its_own_matches(world):
    a, b = world.enterprise_in_a, world.enterprise_in_b
    item = item_for(world, f"{a.name},{b.name}")
    assert current(item) == {a.pk, b.pk}
    mine = set(catalogue_matches_for(world.township_officer, {"item_id": item.pk}).values_list("enterprise_id", flat=True))
    assert mine == {a.pk}
    theirs = catalogue_matches_for(world.other_township_officer, {"item_id": item.pk})
    assert set(theirs.values_list("enterprise_id", flat=True)) == {b.pk}

    api = Api(world.township_officer)
    listed = api.get("catalogue-matches", item_id=item.pk).json()["items"]
    assert [m["enterprise_id"] for m in listed] == [a.pk]
    assert listed[0]["action"] == "close" and listed[0]["source_document"].startswith("《产业结构调整")
    assert api.get(f"catalogue-matches/{theirs.get().pk}").status_code == 404
    assert api.post("catalogue-matches/rematch").status_code == 403

    client = Client()
    client.force_login(world.township_officer)
    page = client.get("/siting/catalogue-matches/", {"item_id": item.pk})
    assert page.status_code == 200 and a.name in page.content.decode() and b.name not in page.content.decode()

    buffer = io.BytesIO()
    write_match_ledger(world.township_officer, buffer, filters={"item_id": item.pk})
    cells = [c for row in load_workbook(buffer).active.iter_rows(values_only=True) for c in row if c]
    assert a.name in cells and b.name not in cells


def test_a_catalogue_edit_rematches_and_moves_the_deadline(world):
    a, b = world.enterprise_in_a, world.enterprise_in_b
    item = item_for(world, a.name)
    assert current(item) == {a.pk}
    first = CatalogueMatch.objects.get(item=item, enterprise=a)
    assert first.deadline == timezone.localdate() + timedelta(days=90)
    update_item(world.admin, item.pk, {"keywords": b.name, "default_deadline_days": 30, "action": "relocate"},
                expected_version=item.version)
    assert current(item) == {b.pk}
    first.refresh_from_db()
    assert not first.is_current  # kept for the record, no longer listed
    moved = CatalogueMatch.objects.get(item=item, enterprise=b)
    assert moved.action == "relocate" and moved.deadline == timezone.localdate() + timedelta(days=30)
    assert a.pk not in set(catalogue_matches_for(world.admin, {"item_id": item.pk}).values_list("enterprise_id", flat=True))


def test_matching_by_industry_and_keyword_together(world):
    a = world.enterprise_in_a
    same = item_for(world, a.name, industry_id=a.industry_id)
    assert current(same) == {a.pk}
    other_industry = Enterprise.objects.exclude(industry=a.industry).first().industry
    elsewhere = item_for(world, a.name, name="别的行业", industry_id=other_industry.pk)
    assert current(elsewhere) == set()
    whole_industry = item_for(world, "", name="整个行业", industry_id=a.industry_id)
    assert current(whole_industry) == set(Enterprise.objects.filter(industry=a.industry, archived_at__isnull=True)
                                          .values_list("pk", flat=True))


def test_the_match_follows_the_enterprise_closure(world):
    a = world.enterprise_in_a
    item = item_for(world, a.name)
    assert CatalogueMatch.objects.get(item=item).status == MatchStatus.PENDING
    Enterprise.objects.filter(pk=a.pk).update(operating_status=Enterprise.OperatingStatus.CLOSED)
    rematch()
    assert CatalogueMatch.objects.get(item=item).status == MatchStatus.DONE


def test_only_the_county_office_edits_the_catalogue_and_bad_items_are_refused(world):
    with pytest.raises(PermissionDenied):
        create_item(world.township_officer, {"category": "obsolete"})
    with pytest.raises(ValidationError) as refused:
        item_for(world, "")
    assert "keywords" in refused.value.message_dict
    bad = Api(world.admin).post("restricted-industry-items", {
        "category": "obsolete", "item_kind": "process", "name": "x", "keywords": "y", "source_document": "z",
        "action": "close", "default_deadline_days": 0})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "default_deadline_days"


def test_saving_an_enterprise_queues_one_rematch_after_commit(world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    a = world.enterprise_in_a
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        a.name = f"{a.name}（土法炼焦）"
        a.save()
        a.save()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path="citysafe.siting.tasks.rematch_catalogue_job").count() == 1
    rematch()  # what the worker runs
    assert CatalogueMatch.objects.filter(enterprise=a, item__name__startswith="土法炼焦", is_current=True).exists()
