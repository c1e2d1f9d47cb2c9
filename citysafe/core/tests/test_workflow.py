"""The workflow engine on the real enterprise operating-status workflow."""
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from citysafe.core.attachments import attach_file
from citysafe.core.audit_models import AuditRecord
from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionConflict, TransitionError
from citysafe.registry.models import Enterprise
from citysafe.registry.services import transition_enterprise
from citysafe.registry.workflows import ENTERPRISE_STATUS

S = Enterprise.OperatingStatus


def events_for(enterprise):
    return WorkflowEvent.objects.filter(object_type="registry.Enterprise", object_id=enterprise.pk)


def v(enterprise):
    """The version as the caller read it (required on every transition)."""
    return Enterprise.objects.get(pk=enterprise.pk).version


def test_allowed_transition_changes_state_and_leaves_event_and_audit(world):
    enterprise = world.enterprise_in_a
    version = enterprise.version
    result = transition_enterprise(world.township_officer, enterprise.pk, "suspend", expected_version=version,
                                   note="检查发现重大隐患，责令停产整顿")
    assert result.operating_status == S.SUSPENDED and result.version == version + 1
    [event] = events_for(enterprise)
    assert (event.workflow, event.transition, event.from_state, event.to_state, event.actor, event.note) == (
        "enterprise_status", "suspend", S.OPERATING, S.SUSPENDED, world.township_officer,
        "检查发现重大隐患，责令停产整顿")
    audit = AuditRecord.objects.filter(action="transition:suspend", object_id=str(enterprise.pk)).get()
    assert audit.actor == world.township_officer
    assert audit.before["operating_status"] == S.OPERATING and audit.after["operating_status"] == S.SUSPENDED
    assert audit.note == "检查发现重大隐患，责令停产整顿"


@pytest.mark.parametrize("who", ["grid_worker", "leader", "enterprise_officer"])
def test_role_not_in_the_transition_table_is_forbidden(world, who):
    actor = getattr(world, who)
    enterprise = {
        "grid_worker": Enterprise.objects.filter(grid=world.grid).order_by("id").first(),
        "leader": world.enterprise_in_a,
        "enterprise_officer": world.enterprise,
    }[who]
    assert enterprise is not None
    with pytest.raises(PermissionDenied):
        transition_enterprise(actor, enterprise.pk, "start_relocation", expected_version=v(enterprise))
    enterprise.refresh_from_db()
    assert enterprise.operating_status == S.OPERATING and not events_for(enterprise).exists()


def test_closing_is_for_admin_and_departments_not_townships(world):
    with pytest.raises(PermissionDenied):
        transition_enterprise(world.township_officer, world.enterprise_in_a.pk, "close", note="无证经营",
                              expected_version=v(world.enterprise_in_a))
    closed = transition_enterprise(world.admin, world.enterprise_in_a.pk, "close", note="无证经营",
                                   expected_version=v(world.enterprise_in_a))
    assert closed.operating_status == S.CLOSED


def test_transition_from_a_state_it_does_not_start_from_is_an_error(world):
    enterprise = world.enterprise_in_a
    with pytest.raises(TransitionError) as caught:
        transition_enterprise(world.township_officer, enterprise.pk, "resume", expected_version=v(enterprise))
    assert "正常生产经营" in str(caught.value) and "恢复生产" in str(caught.value)
    with pytest.raises(TransitionError):
        transition_enterprise(world.township_officer, enterprise.pk, "no_such_step", expected_version=v(enterprise))
    enterprise.refresh_from_db()
    assert enterprise.operating_status == S.OPERATING and not events_for(enterprise).exists()


def test_transition_that_requires_a_note_refuses_an_empty_one(world):
    with pytest.raises(TransitionError) as caught:
        transition_enterprise(world.township_officer, world.enterprise_in_a.pk, "suspend", note="   ",
                              expected_version=v(world.enterprise_in_a))
    assert "说明" in str(caught.value)


def test_stale_version_is_a_conflict_and_changes_nothing(world):
    enterprise = world.enterprise_in_a
    read_version = enterprise.version
    transition_enterprise(world.township_officer, enterprise.pk, "start_relocation", expected_version=read_version)
    audits_before = AuditRecord.objects.count()

    # A second officer acts on the page they loaded before the first change.
    with pytest.raises(TransitionConflict):
        transition_enterprise(world.admin, enterprise.pk, "finish_relocation", expected_version=read_version)
    enterprise.refresh_from_db()
    assert enterprise.operating_status == S.RELOCATING and enterprise.version == read_version + 1
    assert events_for(enterprise).count() == 1
    assert AuditRecord.objects.count() == audits_before


def test_user_outside_the_records_scope_cannot_find_it(world):
    enterprise = world.enterprise_in_a
    for outsider in (world.other_township_officer, world.other_department):
        with pytest.raises(Enterprise.DoesNotExist):
            transition_enterprise(outsider, enterprise.pk, "start_relocation", expected_version=v(enterprise))
    enterprise.refresh_from_db()
    assert enterprise.operating_status == S.OPERATING and not events_for(enterprise).exists()


def test_event_keeps_its_attachments(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = attach_file(world.township_officer, "registry.enterprise", world.enterprise_in_a.pk, SimpleUploadedFile(
        "停产整顿通知书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    ENTERPRISE_STATUS.apply(world.township_officer, Enterprise, world.enterprise_in_a.pk, "suspend",
                            note="见通知书", attachments=[notice], expected_version=v(world.enterprise_in_a))
    [event] = events_for(world.enterprise_in_a)
    assert list(event.attachments.all()) == [notice]


def test_available_transitions_follow_state_and_role(world):
    from citysafe.core import scope

    enterprise = Enterprise.objects.get(pk=world.enterprise_in_a.pk)
    regulated = scope.narrow(world.department, Enterprise.objects.filter(operating_status=enterprise.operating_status)).first()
    assert {t.name for t in ENTERPRISE_STATUS.available(world.department, regulated)} == {
        "suspend", "start_relocation", "close"}
    # Nothing is offered on a record the actor may not write (outside the department's industries).
    assert not scope.contains(world.department, enterprise)
    assert ENTERPRISE_STATUS.available(world.department, enterprise) == []
    assert {t.name for t in ENTERPRISE_STATUS.available(world.township_officer, enterprise)} == {
        "suspend", "start_relocation"}
    assert ENTERPRISE_STATUS.available(world.grid_worker, enterprise) == []


# ---- the toolkit (issue 7) ------------------------------------------------------------------

import datetime as dt  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.utils import timezone  # noqa: E402

from citysafe.accounts.models import Role  # noqa: E402
from citysafe.core.audit import snapshot  # noqa: E402
from citysafe.core.workflow import Workflow, system_actor  # noqa: E402
from citysafe.core.workflow.system import as_system  # noqa: E402
from citysafe.notifications.models import Notification  # noqa: E402
from citysafe.notifications.services import notify  # noqa: E402


def test_a_transition_without_the_version_read_is_refused_naming_it(world):
    enterprise = world.enterprise_in_a
    with pytest.raises(ValidationError) as caught:
        transition_enterprise(world.township_officer, enterprise.pk, "start_relocation", expected_version=None)
    assert "expected_version" in caught.value.message_dict
    with pytest.raises(TypeError):  # not even optional in the signature
        transition_enterprise(world.township_officer, enterprise.pk, "start_relocation")
    enterprise.refresh_from_db()
    assert enterprise.operating_status == S.OPERATING and not events_for(enterprise).exists()


def test_a_guard_refuses_with_its_reason_and_changes_nothing(world):
    enterprise = world.enterprise_in_a
    transition_enterprise(world.township_officer, enterprise.pk, "start_relocation", expected_version=v(enterprise))
    with pytest.raises(TransitionError) as caught:
        transition_enterprise(world.township_officer, enterprise.pk, "finish_relocation", expected_version=v(enterprise),
                              changes={"address": Enterprise.objects.get(pk=enterprise.pk).address})
    assert "新地址" in str(caught.value)
    assert Enterprise.objects.get(pk=enterprise.pk).operating_status == S.RELOCATING
    done = transition_enterprise(world.township_officer, enterprise.pk, "finish_relocation",
                                 expected_version=v(enterprise), changes={"address": "锁南镇新区工业园3号"})
    assert (done.operating_status, done.address) == (S.RELOCATED, "锁南镇新区工业园3号")
    audit = AuditRecord.objects.filter(action="transition:finish_relocation", object_id=str(enterprise.pk)).get()
    assert audit.after["address"] == "锁南镇新区工业园3号"


def test_a_transition_sets_only_its_own_fields_and_validates_them(world):
    enterprise = world.enterprise_in_a
    with pytest.raises(ValidationError) as caught:
        transition_enterprise(world.township_officer, enterprise.pk, "suspend", note="整改",
                              expected_version=v(enterprise), changes={"name": "改名"})
    assert "name" in caught.value.message_dict
    transition_enterprise(world.township_officer, enterprise.pk, "start_relocation", expected_version=v(enterprise))
    with pytest.raises(ValidationError) as caught:
        transition_enterprise(world.township_officer, enterprise.pk, "finish_relocation",
                              expected_version=v(enterprise), changes={"address": "址" * 300})
    assert "address" in caught.value.message_dict
    assert Enterprise.objects.get(pk=enterprise.pk).name == enterprise.name


def test_an_effect_runs_in_the_transitions_transaction_and_rolls_back_with_it(world):
    enterprise = world.enterprise_in_a
    told = []

    def tell_admin(ctx):
        told.extend(notify(world.admin, kind="test", subject="状态变更"))

    def fail(ctx):
        raise RuntimeError("linked record could not be created")

    flow = Workflow("test_effects", "operating_status").add(
        "suspend", {S.OPERATING}, S.SUSPENDED, {Role.TOWNSHIP}, "停产", effects=[tell_admin, fail])
    audits_before = AuditRecord.objects.count()
    with pytest.raises(RuntimeError):
        flow.apply(world.township_officer, Enterprise, enterprise.pk, "suspend", expected_version=v(enterprise))
    assert told, "the effect ran after the state change"
    assert not Notification.objects.filter(pk__in=[n.pk for n in told]).exists()
    after = Enterprise.objects.get(pk=enterprise.pk)
    assert (after.operating_status, after.version) == (S.OPERATING, enterprise.version)
    assert not WorkflowEvent.objects.filter(workflow="test_effects").exists()
    assert AuditRecord.objects.count() == audits_before

    flow.transitions["suspend"] = flow.transitions["suspend"].__class__(
        **{**flow.transitions["suspend"].__dict__, "effects": (tell_admin,)})
    flow.apply(world.township_officer, Enterprise, enterprise.pk, "suspend", expected_version=v(enterprise))
    assert Notification.objects.filter(pk=told[-1].pk, recipient=world.admin).exists()


def test_the_system_actor_takes_system_transitions_and_is_audited_as_the_system(world, client):
    enterprise = world.enterprise_in_a
    flow = (Workflow("test_alarm", "operating_status")
            .add("auto_suspend", {S.OPERATING}, S.SUSPENDED, set(), "自动停产", system=True)
            .add("resume", {S.SUSPENDED}, S.OPERATING, {Role.ADMIN}, "恢复"))
    with as_system() as actor:
        flow.apply(actor, Enterprise, enterprise.pk, "auto_suspend", expected_version=v(enterprise), note="传感器报警")
        with pytest.raises(PermissionDenied):  # only transitions that say so
            flow.apply(actor, Enterprise, enterprise.pk, "resume", expected_version=v(enterprise))
    audit = AuditRecord.objects.filter(action="transition:auto_suspend", object_id=str(enterprise.pk)).get()
    assert (audit.channel, audit.actor_label, audit.actor) == ("system", "system", system_actor())
    [event] = WorkflowEvent.objects.filter(workflow="test_alarm")
    assert event.actor.display_name == "系统"
    with pytest.raises(PermissionDenied):  # and nobody else takes a system transition
        flow.apply(world.admin, Enterprise, enterprise.pk, "auto_suspend", expected_version=v(enterprise))
    system = system_actor()
    assert not system.has_usable_password() and system.is_service_account and system.role == Role.ADMIN
    client.post("/login/", {"username": "system", "password": ""})
    assert "_auth_user_id" not in client.session


def test_the_payload_is_validated_against_the_transitions_schema(world):
    enterprise = world.enterprise_in_a
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    for bad, key in (({"deadline": yesterday}, "payload.deadline"), ({"deadline": "明天"}, "payload.deadline"),
                     ({"severity": "high"}, "payload.severity")):
        with pytest.raises(ValidationError) as caught:
            transition_enterprise(world.township_officer, enterprise.pk, "suspend", note="整改",
                                  expected_version=v(enterprise), payload=bad)
        assert key in caught.value.message_dict
        assert all(not m.isascii() for m in caught.value.message_dict[key])  # a Chinese rule, not pydantic's English
    with pytest.raises(ValidationError) as caught:  # a transition without a schema takes no payload
        transition_enterprise(world.township_officer, enterprise.pk, "start_relocation",
                              expected_version=v(enterprise), payload={"deadline": yesterday})
    assert "payload" in caught.value.message_dict
    deadline = timezone.localdate() + dt.timedelta(days=10)
    done = transition_enterprise(world.township_officer, enterprise.pk, "suspend", note="整改",
                                 expected_version=v(enterprise), payload={"deadline": deadline.isoformat()})
    [event] = events_for(enterprise)
    assert event.payload == {"deadline": deadline.isoformat()} and isinstance(event.object_id, int)
    assert timezone.localtime(done.due_at).date() == deadline and done.entered_at == event.at
    resumed = transition_enterprise(world.township_officer, enterprise.pk, "resume", expected_version=v(enterprise))
    assert resumed.due_at is None and resumed.entered_at > done.entered_at
    assert snapshot(resumed)["due_at"] is None
