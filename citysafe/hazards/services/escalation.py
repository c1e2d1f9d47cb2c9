"""Escalation of overdue hazards, set-based: the deadline sweep (core.workflow.deadlines) hands
this a chunk of hazards due at one step; the overdue flag and level are one UPDATE, the
recipients of the whole chunk a handful of queries, and each person gets one message listing
their hazards (people with the same list share one notify_many). Queries grow with the chunks
and the people told, not with the hazards.

Who is told at each level (ESCALATION in deadlines.py): the grid's workers and the enterprise's
officers, then the township's officers, then the industry's department, then the county safety
office (县安委办). A hazard nobody at a level can take — an area-only hazard has no enterprise and
so no industry and no department — goes to the county safety office at that level instead, and
its level is recorded as the county office's (issue 10: grid → township → department → county)."""
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.hazards.models import Hazard

MAX_LINES = 50  # hazards listed in one message's body; the payload names all of them


def _by_key(users, role, lookup: str, keys) -> dict:
    """{key: {user ids}} for users of `role` whose `lookup` is one of `keys` (one query)."""
    found = defaultdict(set)
    if keys:
        for user_id, key in users.filter(role=role, **{f"{lookup}__in": keys}).values_list("pk", lookup):
            found[key].add(user_id)
    return found


def recipients_by_hazard(hazards, roles) -> dict[int, set[int]]:
    """{hazard id: {user ids}} for the given roles, for a whole chunk at once."""
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    wanted = defaultdict(set)
    lookups = ((Role.GRID, "grids", "grid_id"), (Role.ENTERPRISE, "enterprise_id", "owner_enterprise_id"),
               (Role.TOWNSHIP, "organisation__area_id", "township_id"),
               (Role.DEPARTMENT, "organisation__industries", "industry_id"))
    for role, lookup, column in lookups:
        if role not in roles:
            continue
        found = _by_key(users, role, lookup, {getattr(h, column) for h in hazards} - {None})
        for hazard in hazards:
            wanted[hazard.pk] |= found.get(getattr(hazard, column), set())
    if Role.ADMIN in roles:
        admins = set(users.filter(role=Role.ADMIN).values_list("pk", flat=True))
        for hazard in hazards:
            wanted[hazard.pk] |= admins
    return wanted


def county_office(users=None) -> set[int]:
    users = users or get_user_model().objects.filter(is_active=True, is_service_account=False)
    return set(users.filter(role=Role.ADMIN).values_list("pk", flat=True))


def mark_escalated(hazards: list[Hazard], level_of: dict[int, str]) -> None:
    """Flag `hazards` overdue at their level: one UPDATE per level, and one audit record per
    hazard that changed (core.audit.record_changes: one lock, one INSERT), in the caller's
    transaction, so the change feed (sharing) and the webhooks see an escalation like any other
    change. The snapshots come from the instances the sweep already holds (no re-read). The
    version is not bumped, as before: the flag is the system's, and a user's open edit form must
    not turn stale over it."""
    from citysafe.core.audit import record_changes, snapshot
    from citysafe.core.workflow.system import system_actor

    changed = [h for h in hazards if not h.is_overdue or h.escalation != level_of[h.pk]]
    if not changed:
        return
    by_level = defaultdict(list)
    for hazard in changed:
        by_level[level_of[hazard.pk]].append(hazard.pk)
    for level, ids in by_level.items():
        Hazard.objects.filter(pk__in=ids).update(is_overdue=True, escalation=level)
    audited = []
    for hazard in changed:
        before = snapshot(hazard)
        hazard.is_overdue, hazard.escalation = True, level_of[hazard.pk]
        audited.append((hazard, before, {**before, "is_overdue": True, "escalation": hazard.escalation}))
    record_changes(actor=system_actor(), action="escalate", changes=audited)


def escalate(hazards: list[Hazard], stage: str, roles, label: str) -> None:
    from citysafe.notifications.services import notify_many, sms_copies

    wanted = recipients_by_hazard(hazards, roles)
    orphans = [h.pk for h in hazards if not wanted[h.pk]] if stage not in ("grid", "county") else []
    if orphans:  # nobody at this level: the county safety office takes it now
        office = county_office()
        for pk in orphans:
            wanted[pk] = set(office)
    orphan_set = set(orphans)
    mark_escalated(hazards, {h.pk: "county" if h.pk in orphan_set else stage for h in hazards})
    per_user = defaultdict(list)
    for hazard in hazards:
        for user_id in wanted[hazard.pk]:
            per_user[user_id].append(hazard)
    same_list = defaultdict(list)
    for user_id, theirs in per_user.items():
        same_list[tuple(h.pk for h in theirs)].append(user_id)
    users = get_user_model().objects.in_bulk(list(per_user))
    by_pk = {h.pk: h for h in hazards}
    url = reverse("hazards:list", args=["hazards"]) + "?is_overdue=true"
    for ids, user_ids in same_list.items():
        listed = [by_pk[pk] for pk in ids]
        lines = [_("%(code)s：%(text)s（整改期限%(deadline)s；责任单位：%(unit)s）") % {
            "code": h.code or h.pk, "text": h.description[:40], "deadline": h.rectification_deadline,
            "unit": h.responsible_unit or "—"} for h in listed[:MAX_LINES]]
        if len(listed) > MAX_LINES:
            lines.append(_("……另有%(n)s项") % {"n": len(listed) - MAX_LINES})
        message = {"kind": "hazard_overdue", "link": url, "payload": {"hazards": list(ids), "stage": stage},
                   "subject": _("%(n)s项隐患逾期未整改（督办层级：%(level)s）") % {"n": len(listed), "level": label},
                   "body": "\n".join(lines)}
        told = [users[pk] for pk in sorted(user_ids)]
        notify_many(told, priority=2 if stage != "grid" else 3, **message)
        if stage != "grid":  # an escalation beyond the grid is urgent: an SMS too (if the channel is configured)
            sms_copies(told, priority=2, **message)
