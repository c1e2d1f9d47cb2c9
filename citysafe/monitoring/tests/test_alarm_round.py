"""One evaluation round writes all of its alarm changes together (services/alarm_round.py):
its cost in queries does not grow with the number of alarms it changes, and every change is
still a workflow step and an audit record on an intact chain."""
import time

import numpy as np
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from citysafe.core.audit import verify_chain
from citysafe.core.audit_models import AuditRecord
from citysafe.core.models import WorkflowEvent
from citysafe.monitoring.models import Alarm, AlarmStatus, Sensor
from citysafe.monitoring.services import cache
from citysafe.monitoring.services.evaluation import evaluate_batch

# gas (default rule): level 2 at 25 %LEL, level 1 at 50, deadband 3
ROUNDS = [("open", [60.0]), ("level", [30.0]), ("same level", [31.0]), ("clear", [5.0]), ("spike", [60.0, 5.0])]


def gas_sensors(n: int) -> list[int]:
    """n copies of the first demo gas sensor (the alarm rules go by sensor type)."""
    template = Sensor.objects.filter(sensor_type="gas").order_by("id").first()
    ids = []
    for k in range(n):
        template.pk = template.id = None
        template.code = f"ROUND-GAS-{k}"
        template.save()
        ids.append(template.pk)
    cache.forget()
    return ids


def evaluate(ids, changed: int, values: list[float], start: float, later: list) -> int:
    """A round: every sensor at 5 %LEL except the first `changed`, which read `values`.
    Returns the queries it took (follow-ups deferred to `later`, as the evaluator does)."""
    n = len(ids)
    v = np.full((n, len(values)), 5.0)
    v[:changed] = values
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        evaluate_batch(np.repeat(np.asarray(ids, np.int64), len(values)),
                       np.tile(start + np.arange(len(values), dtype=float), n), v.ravel(), now=time.time(),
                       later=later)
    return len(captured.captured_queries)


def rounds(ids, changed: int, start: float) -> dict:
    later = []
    evaluate(ids, 0, [5.0], start, later)          # the tracks' memory exists; the caches are warm
    return {kind: evaluate(ids, changed, values, start + 10 * (k + 1), later)
            for k, (kind, values) in enumerate(ROUNDS)}


def test_the_queries_of_an_evaluation_round_do_not_grow_with_the_alarms_it_changes(world):
    ids = gas_sensors(6)
    start = int(time.time()) - 3600
    one = rounds(ids, 1, start)
    assert Alarm.objects.filter(sensor_id__in=ids).count() == 2          # an excursion and a spike
    five = rounds(ids, 5, start + 600)
    assert five == one, f"queries per round with 1 alarm change {one}, with 5 {five}"
    alarms = Alarm.objects.filter(sensor_id__in=ids)
    assert alarms.count() == 2 + 10 and not alarms.filter(status__in=[AlarmStatus.ACTIVE_UNACK]).exists()


def test_every_alarm_change_of_a_round_is_a_workflow_step_and_an_audit_record_on_an_intact_chain(world):
    ids = gas_sensors(4)
    start, later = int(time.time()) - 3600, []
    evaluate(ids, 0, [5.0], start, later)
    evaluate(ids, 3, [60.0], start + 10, later)                          # three alarms open (level 1)
    evaluate(ids, 3, [30.0], start + 20, later)                          # … fall to level 2
    first = Alarm.objects.filter(sensor_id=ids[0]).get()
    from citysafe.monitoring.services.alarms import acknowledge_alarm
    acknowledge_alarm(world.admin, first.pk, expected_version=first.version)
    evaluate(ids, 0, [5.0], start + 30, later)                           # … and clear
    evaluate(ids, 1, [60.0, 5.0], start + 40, later)                     # a spike: opened and cleared
    alarms = list(Alarm.objects.filter(sensor_id__in=ids).order_by("pk"))
    assert [a.status for a in alarms] == [AlarmStatus.CLEARED_ACK] + [AlarmStatus.CLEARED_UNACK] * 3
    assert all(a.cleared_at is not None and a.version == (3 if a.pk == first.pk else 2) for a in alarms)
    steps = {a.pk: list(WorkflowEvent.objects.filter(object_type="monitoring.Alarm", object_id=a.pk)
                        .order_by("pk").values_list("transition", "from_state", "to_state")) for a in alarms}
    assert steps[first.pk] == [("acknowledge", "active_unack", "active_ack"),
                               ("clear_acknowledged", "active_ack", "cleared_ack")]
    assert all(steps[a.pk] == [("clear", "active_unack", "cleared_unack")] for a in alarms[1:])
    for alarm in alarms:
        actions = list(AuditRecord.objects.filter(object_type="monitoring.Alarm", object_id=str(alarm.pk))
                       .order_by("pk").values_list("action", "channel"))
        expected = {first.pk: ["create", "level", "transition:acknowledge", "transition:clear_acknowledged"],
                    alarms[-1].pk: ["create", "transition:clear"]}.get(alarm.pk,
                                                                      ["create", "level", "transition:clear"])
        assert [a for a, _channel in actions] == expected
        assert all(channel == "system" for a, channel in actions if a != "transition:acknowledge")
    cleared = AuditRecord.objects.get(object_id=str(alarms[1].pk), action="transition:clear")
    assert (cleared.before["status"], cleared.after["status"]) == ("active_unack", "cleared_unack")
    assert cleared.after["version"] == cleared.before["version"] + 1
    # the follow-ups (listeners, notifications) were handed on: one per change
    assert len(later) == 3 + 3 + 3 + 1 and verify_chain().is_intact
