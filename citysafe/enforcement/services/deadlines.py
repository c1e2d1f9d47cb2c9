"""The case's legal time limits as a core.workflow DeadlineSweep: a reminder three days before
`due_at` (the decision limit, or the publication limit once decided, or the demand's deadline)
and an overdue notice when it passes; one outbox message per step and entry into the state.
The overdue flag itself is set by the hourly job (tasks.mark_overdue_cases → mark_overdue)."""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.core.workflow.deadlines import DeadlineSweep, Step
from citysafe.enforcement.models import Case, Status

DEADLINE_STATES = (Status.INVESTIGATING, Status.NOTIFIED, Status.HEARING, Status.DECIDED, Status.DEMANDED)
REMIND_BEFORE = timedelta(days=3)  # common practice; adjustable here


def send_case_deadline(cases: list[Case], step: Step) -> None:
    from citysafe.enforcement.services.notices import link_to, people_of
    from citysafe.notifications.services import notify_many

    roles = (Role.TOWNSHIP, Role.DEPARTMENT) + ((Role.ADMIN,) if step.stage == "overdue" else ())
    for case in cases:
        recipients = people_of(case, roles)
        if not recipients:
            continue
        if step.stage == "overdue":
            subject = _("执法案件%(number)s已超过法定期限（%(due)s）")
        else:
            subject = _("执法案件%(number)s的法定期限即将届满（%(due)s）")
        notify_many(recipients, kind="enforcement_deadline",
                    subject=subject % {"number": case.number or case.pk,
                                       "due": timezone.localtime(case.due_at).date()},
                    body=f"{case.get_status_display()}：{case.cause}", link=link_to(case),
                    dedupe_key=f"case-deadline:{case.pk}:{case.entered_at:%Y%m%d%H%M%S}:{step.stage}")


CASE_DEADLINES = DeadlineSweep(
    name="enforcement_case", model=Case, state_field="status", states=set(DEADLINE_STATES),
    steps=(Step("reminder", -REMIND_BEFORE), Step("overdue", timedelta(0))), send_batch=send_case_deadline)


def mark_overdue(now=None) -> int:
    """Set (and clear) the overdue flag of open cases from their current limit; returns how many
    became overdue. Idempotent: the scheduler may run it twice."""
    now = now or timezone.now()
    open_cases = Case.objects.filter(status__in=DEADLINE_STATES, archived_at__isnull=True)
    late = open_cases.filter(due_at__lt=now, is_overdue=False).update(is_overdue=True)
    open_cases.filter(is_overdue=True, due_at__gte=now).update(is_overdue=False)
    return late
