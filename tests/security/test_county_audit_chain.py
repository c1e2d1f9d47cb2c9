"""The audit chain of what the system does in a deployment of two counties (issue 19).

The system account (scheduled jobs, sensors) and actions without a user have no county of their
own: their changes used to land on the "root" chain, which is the home county's, so the home
county's audit log listed what the system did to the second county's records and the second
county's did not. Now such a change is appended to the chain of the record's county (the home
county's records stay on "root"); a bulk change of both counties' records is split by chain; a
user with a county (or the prefecture office) keeps its own chain; a record no county holds
stays on the actor's chain. The two counties are built once per module (county_paths_world.py)."""
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from citysafe.core.audit import ROOT, record_change, record_changes, snapshot, verify_chains, visible_records
from citysafe.core.audit_models import AuditRecord
from citysafe.core.workflow.deadlines import run_deadline_sweeps
from citysafe.core.workflow.system import system_actor
from citysafe.hazards.models import Hazard
from citysafe.monitoring.models import Alarm
from citysafe.monitoring.services.ingest import Credential, ingest
from citysafe.registry.models import Area, Enterprise, Industry
from tests.security.county_paths_world import fresh, second_county_gas_sensor

HOME, SECOND = "622926", "622924"  # 东乡族自治县, 广河县 (synthetic outline)


def _hazard(code: str, n: int = 0) -> Hazard:
    return Hazard.objects.filter(township__county__code=code).order_by("pk")[n]


def _admin_page_lists(user, record) -> bool:
    """Whether the configuration site's audit log (/admin/core/auditrecord/) lists `record`."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    user = fresh(user)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type=ContentType.objects.get_for_model(AuditRecord)))
    client = Client()
    client.force_login(fresh(user))
    listing = client.get("/admin/core/auditrecord/", {"id__exact": record.pk})
    assert listing.status_code == 200
    return record.pk in {row.pk for row in listing.context["cl"].result_list}


def _seen_by(two, record) -> dict[str, bool]:
    return {who: visible_records(fresh(user)).filter(pk=record.pk).exists()
            for who, user in (("home", two.a["admin"]), ("second", two.b["admin"]), ("prefecture", two.prefecture))}


@pytest.mark.parametrize("actor", ["system", "nobody"])
def test_a_system_change_to_a_second_county_hazard_is_on_that_countys_chain(two, actor):
    hazard = _hazard(SECOND)
    record = record_change(actor=system_actor() if actor == "system" else None, action="update", instance=hazard,
                           before=snapshot(hazard), after=snapshot(hazard))
    assert record.chain == SECOND
    assert _seen_by(two, record) == {"home": False, "second": True, "prefecture": True}
    assert _admin_page_lists(two.b["admin"], record)
    assert not _admin_page_lists(two.a["admin"], record)


def test_a_system_change_to_a_home_county_hazard_stays_on_the_root_chain(two):
    hazard = _hazard(HOME)
    record = record_change(actor=system_actor(), action="update", instance=hazard, after=snapshot(hazard))
    assert record.chain == ROOT
    assert _seen_by(two, record) == {"home": True, "second": False, "prefecture": True}


def test_a_system_change_to_a_record_of_no_county_stays_on_the_actors_chain(two):
    industry = Industry.objects.order_by("pk").first()  # a shared directory: no county holds it
    on_industry = record_change(actor=system_actor(), action="update", instance=industry, after=snapshot(industry))
    no_instance = record_change(actor=system_actor(), action="sweep", object_type="core.Job", object_id="*")
    assert (on_industry.chain, no_instance.chain) == (ROOT, ROOT)


def test_a_prefecture_office_change_to_a_second_county_record_keeps_its_own_chain(two):
    hazard = _hazard(SECOND)
    record = record_change(actor=fresh(two.prefecture), action="update", instance=hazard, after=snapshot(hazard))
    prefecture = Area.objects.get(level="prefecture")
    assert record.chain == prefecture.code[:32]
    assert _seen_by(two, record) == {"home": False, "second": False, "prefecture": True}


def test_a_county_users_change_keeps_its_countys_chain(two):
    enterprise = Enterprise.objects.filter(township__county__code=SECOND).order_by("pk").first()
    record = record_change(actor=fresh(two.b["admin"]), action="update", instance=enterprise,
                           after=snapshot(enterprise))
    assert record.chain == SECOND


def test_a_bulk_change_of_both_counties_records_lands_each_on_its_countys_chain(two):
    hazards = [_hazard(SECOND, 0), _hazard(HOME, 0), _hazard(SECOND, 1), _hazard(HOME, 1)]
    industry = Industry.objects.order_by("pk").first()
    changes = [(h, snapshot(h), {**snapshot(h), "note": "bulk"}) for h in hazards] + [(industry, None, None)]
    records = record_changes(actor=system_actor(), action="test_bulk", changes=changes)
    assert [r.object_id for r in records] == [str(h.pk) for h in hazards] + [str(industry.pk)]  # the caller's order
    assert [r.chain for r in records] == [SECOND, ROOT, SECOND, ROOT, ROOT]
    second = [r for r in records if r.chain == SECOND]
    assert second[1].seq == second[0].seq + 1 and second[1].prev_hash == second[0].hash
    assert all(report.is_intact for report in verify_chains())
    assert set(visible_records(fresh(two.b["admin"])).filter(action="test_bulk").values_list("object_id", flat=True)) \
        == {str(hazards[0].pk), str(hazards[2].pk)}
    assert set(visible_records(fresh(two.a["admin"])).filter(action="test_bulk").values_list("object_id", flat=True)) \
        == {str(hazards[1].pk), str(hazards[3].pk), str(industry.pk)}


def test_the_overdue_sweep_audits_each_escalation_on_its_hazards_countys_chain(two):
    hazard_a, hazard_b = _hazard(HOME), _hazard(SECOND)
    now = timezone.now()
    Hazard.objects.filter(pk__in=[hazard_a.pk, hazard_b.pk]).update(
        status="rectifying", due_at=now - timedelta(days=20), entered_at=now - timedelta(days=40))
    start = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    run_deadline_sweeps(now)
    escalated = dict(AuditRecord.objects.filter(pk__gt=start, action="escalate", object_type="hazards.Hazard",
                                                object_id__in=[str(hazard_a.pk), str(hazard_b.pk)])
                     .values_list("object_id", "chain"))
    assert escalated == {str(hazard_a.pk): ROOT, str(hazard_b.pk): SECOND}
    assert all(report.is_intact for report in verify_chains())



def test_the_alarm_a_second_county_sensor_raises_is_audited_on_that_countys_chain(two):
    sensor = second_county_gas_sensor("GH-GAS-CHAIN-1")
    start = int(time.time()) - 600
    ingest(Credential(), [(sensor.code, start + 10 * i, v) for i, v in enumerate([5, 60, 61])])
    alarm = Alarm.objects.get(sensor=sensor)
    records = AuditRecord.objects.filter(object_type="monitoring.Alarm", object_id=str(alarm.pk))
    assert records.exists() and set(records.values_list("chain", flat=True)) == {SECOND}
    record = records.order_by("pk").first()
    assert _seen_by(two, record) == {"home": False, "second": True, "prefecture": True}
    assert all(report.is_intact for report in verify_chains())


def test_a_bulk_of_several_chains_locks_their_heads_in_one_order_whatever_the_callers(two):
    """Two bulk writers of the same chains never wait for each other in a cycle: every writer
    locks "root" first, then the counties' heads by key — not in the order of its records."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from citysafe.core.audit_models import AuditChainHead

    def locked(hazards):
        with CaptureQueriesContext(connection) as queries:
            record_changes(actor=system_actor(), action="test_order", changes=[(h, None, None) for h in hazards])
        table = AuditChainHead._meta.db_table
        order = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and f'FROM "{table}"' in sql:
                key = next((k for k in (ROOT, SECOND, HOME) if f"'{k}'" in sql), None)
                if key and key not in order:
                    order.append(key)
        return order

    assert locked([_hazard(SECOND), _hazard(HOME)]) == [ROOT, SECOND]
    assert locked([_hazard(HOME), _hazard(SECOND)]) == [ROOT, SECOND]
