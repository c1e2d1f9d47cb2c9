"""`Workflow.apply_system_steps`: the system actor's transitions on many records at once —
the same state machine, a step row and an audit record per record, all or nothing."""
import pytest
from django.core.exceptions import PermissionDenied

from citysafe.core.audit import verify_chain
from citysafe.core.audit_models import AuditRecord
from citysafe.core.models import WorkflowEvent
from citysafe.core.roles import Role
from citysafe.core.workflow import TransitionConflict, TransitionError, Workflow
from citysafe.core.workflow.system import as_system
from citysafe.registry.models import Enterprise

S = Enterprise.OperatingStatus
FLOW = (Workflow("test_system_steps", "operating_status")
        .add("auto_suspend", {S.OPERATING}, S.SUSPENDED, set(), "自动停产", system=True)
        .add("resume", {S.SUSPENDED}, S.OPERATING, {Role.ADMIN}, "恢复"))


def two_enterprises():
    return list(Enterprise.objects.filter(operating_status=S.OPERATING).order_by("pk")[:2])


def untouched(enterprises) -> bool:
    rows = Enterprise.objects.in_bulk([e.pk for e in enterprises])
    return (all((rows[e.pk].operating_status, rows[e.pk].version) == (S.OPERATING, e.version) for e in enterprises)
            and not WorkflowEvent.objects.filter(workflow=FLOW.name).exists()
            and not AuditRecord.objects.filter(action="transition:auto_suspend").exists())


def test_system_steps_move_every_record_with_a_step_row_and_an_audit_record_each(world):
    first, second = two_enterprises()
    with as_system() as actor:
        done = FLOW.apply_system_steps(actor, Enterprise, [(first.pk, "auto_suspend", first.version),
                                                           (second.pk, "auto_suspend", second.version)],
                                       note="传感器报警")
    assert [(e.pk, e.operating_status, e.version) for e in done] == [
        (first.pk, S.SUSPENDED, first.version + 1), (second.pk, S.SUSPENDED, second.version + 1)]
    for enterprise in (first, second):
        row = Enterprise.objects.get(pk=enterprise.pk)
        assert (row.operating_status, row.version) == (S.SUSPENDED, enterprise.version + 1)
        [event] = WorkflowEvent.objects.filter(workflow=FLOW.name, object_id=enterprise.pk)
        assert (event.transition, event.from_state, event.to_state, event.note, event.actor) == (
            "auto_suspend", S.OPERATING, S.SUSPENDED, "传感器报警", actor)
        assert row.entered_at == event.at
        audit = AuditRecord.objects.get(action="transition:auto_suspend", object_id=str(enterprise.pk))
        assert (audit.channel, audit.actor, audit.note) == ("system", actor, "传感器报警")
        assert (audit.before["operating_status"], audit.after["operating_status"]) == (S.OPERATING, S.SUSPENDED)
        assert audit.after["version"] == audit.before["version"] + 1
    assert verify_chain().is_intact


def test_a_stale_version_refuses_the_whole_call_and_nothing_is_written(world):
    first, second = two_enterprises()
    with as_system() as actor, pytest.raises(TransitionConflict):
        FLOW.apply_system_steps(actor, Enterprise, [(first.pk, "auto_suspend", first.version),
                                                    (second.pk, "auto_suspend", second.version - 1)])
    assert untouched([first, second])


def test_a_transition_that_does_not_exist_or_is_not_the_systems_or_not_from_this_state_is_refused(world):
    first, second = two_enterprises()
    with as_system() as actor:
        with pytest.raises(TransitionError):
            FLOW.apply_system_steps(actor, Enterprise, [(first.pk, "vanish", first.version)])
        with pytest.raises(PermissionDenied):         # a person's transition
            FLOW.apply_system_steps(actor, Enterprise, [(first.pk, "resume", first.version)])
        Enterprise.objects.filter(pk=second.pk).update(operating_status=S.CLOSED)
        with pytest.raises(TransitionError):          # the second is not in a source state: neither moves
            FLOW.apply_system_steps(actor, Enterprise, [(first.pk, "auto_suspend", first.version),
                                                        (second.pk, "auto_suspend", second.version)])
    Enterprise.objects.filter(pk=second.pk).update(operating_status=S.OPERATING)
    assert untouched([first, second])


def test_only_the_system_actor_takes_system_steps(world):
    first, _second = two_enterprises()
    with pytest.raises(PermissionDenied):
        FLOW.apply_system_steps(world.admin, Enterprise, [(first.pk, "auto_suspend", first.version)])
    assert untouched([first])
