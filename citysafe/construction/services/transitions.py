"""Workflow steps of high-danger works and work permits (one transaction each, core.workflow)."""
from citysafe.construction.models import HighDangerWork, WorkPermit
from citysafe.construction.workflows import HIGH_DANGER_WORK, WORK_PERMIT


def transition_work(actor, pk, name: str, *, expected_version: int, note: str = "", changes: dict | None = None,
                    attachments=()) -> HighDangerWork:
    return HIGH_DANGER_WORK.apply(actor, HighDangerWork, pk, name, expected_version=expected_version, note=note,
                                  changes=changes, attachments=attachments)


def transition_permit(actor, pk, name: str, *, expected_version: int, note: str = "", changes: dict | None = None,
                      attachments=()) -> WorkPermit:
    return WORK_PERMIT.apply(actor, WorkPermit, pk, name, expected_version=expected_version, note=note,
                             changes=changes, attachments=attachments)
