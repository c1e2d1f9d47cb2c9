"""Reads of the credit app: the public list, an entry's events."""
from citysafe.core.masking import mask_name
from citysafe.core.models import WorkflowEvent
from citysafe.credit.models import ListEntry

PUBLIC_STATES = (ListEntry.Status.PUBLISHED, ListEntry.Status.REPAIR_APPLIED)


def published_entries():
    """What the public sees: entries on the list now (published, a repair not yet decided)."""
    return ListEntry.objects.filter(status__in=PUBLIC_STATES, archived_at__isnull=True) \
        .select_related("enterprise", "criterion").order_by("-published_on", "-id")


def public_rows(entries) -> list[dict]:
    return [{"code": e.code, "name": e.enterprise.name, "uscc": e.enterprise.uscc,
             "responsible_person": mask_name(e.responsible_person), "criterion": e.criterion.name,
             "basis": e.criterion.basis, "published_on": e.published_on, "expires_on": e.expires_on}
            for e in entries]


def events_of(entry) -> list[dict]:
    """The entry's steps in words: the step's label and the state it led to (not the codes)."""
    from citysafe.credit.workflows import LIST_ENTRY

    states = dict(ListEntry.Status.choices)
    return [{"at": e.at, "actor": e.actor, "note": e.note, "to_state": states.get(e.to_state, e.to_state),
             "step": LIST_ENTRY.transitions[e.transition].title if e.transition in LIST_ENTRY.transitions
             else e.transition}
            for e in WorkflowEvent.objects.filter(object_type=ListEntry._meta.label, object_id=entry.pk)
            .select_related("actor").order_by("at", "pk")]
