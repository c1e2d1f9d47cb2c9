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
    enterprise = Enterprise.objects.get(pk=world.enterprise_in_a.pk)
    assert {t.name for t in ENTERPRISE_STATUS.available(world.department, enterprise)} == {
        "suspend", "start_relocation", "close"}
    assert {t.name for t in ENTERPRISE_STATUS.available(world.township_officer, enterprise)} == {
        "suspend", "start_relocation"}
    assert ENTERPRISE_STATUS.available(world.grid_worker, enterprise) == []
