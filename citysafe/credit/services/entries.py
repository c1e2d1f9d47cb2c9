"""Writes of list entries: the kind's create/update rule (kinds.py calls `check_entry`), the
workflow steps with the dates they record, and the daily expiry."""
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.workflow.system import as_system
from citysafe.credit.models import ListEntry
from citysafe.credit.workflows import LIST_ENTRY

S = ListEntry.Status


def _today():
    return timezone.localdate()


def next_code(year: int) -> str:
    prefix = f"SXMD-{year}-"
    last = ListEntry.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def check_entry(instance, data, errors, actor) -> None:
    """Only a proposed entry is edited (later steps go through the workflow); the proposer, the
    number and the scope keys (from the enterprise) are set here, never by the user."""
    if instance.pk is None:
        instance.status, instance.proposed_by = S.PROPOSED, actor if getattr(actor, "pk", None) else None
        instance.code = next_code(_today().year)
    elif instance.status != S.PROPOSED and data:
        errors.add("status", _("只有“拟列入”的名单记录可以修改，之后的变化须通过审批、告知、公布等流程"),
                   "not_editable")
    if instance.enterprise_id:
        enterprise = instance.enterprise
        instance.township_id, instance.grid_id = enterprise.township_id, enterprise.grid_id
        instance.industry_id = enterprise.industry_id
        if not instance.responsible_person:
            instance.responsible_person = enterprise.legal_representative


def step_changes(entry: ListEntry, name: str, *, reason: str = "", today=None) -> dict:
    """The dates (and the repair reason) a step records."""
    today = today or _today()
    if name == "notify":
        return {"notified_on": today}
    if name == "publish":
        return {"published_on": today, "expires_on": today + relativedelta(years=entry.criterion.publication_years)}
    if name == "apply_repair":
        return {"repair_reason": reason, "repair_applied_on": today}
    if name in ("approve_repair", "expire"):
        return {"removed_on": today}
    return {}


def transition_entry(actor, pk, name: str, *, expected_version: int, note: str = "", reason: str = "") -> ListEntry:
    """One step of an entry's workflow (a 404 outside the actor's scope; the engine checks role,
    version, state and the guards, then saves, audits and notifies in one transaction)."""
    entry = scope.get_in_scope(actor, ListEntry.objects.select_related("criterion"), pk)
    if name not in LIST_ENTRY.transitions:
        raise ValidationError({"transition": [ValidationError(_("未知的流程操作：%(name)s") % {"name": name},
                                                              code="unknown_transition")]})
    return LIST_ENTRY.apply(actor, ListEntry, entry.pk, name, expected_version=expected_version, note=note,
                            changes=step_changes(entry, name, reason=reason))


def expire_entries(today=None) -> int:
    """Entries whose publication period has run out leave the list (as the system actor)."""
    today = today or _today()
    done = 0
    with as_system() as actor:
        due = ListEntry.objects.filter(status__in=(S.PUBLISHED, S.REPAIR_APPLIED), expires_on__lte=today,
                                       archived_at__isnull=True).order_by("pk")
        for entry in due.select_related("criterion"):
            LIST_ENTRY.apply(actor, ListEntry, entry.pk, "expire", expected_version=entry.version,
                             changes={"removed_on": today})
            done += 1
    return done
