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
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.hazards.models import Hazard
from citysafe.registry.counties import PERSON_COUNTY, person_county

MAX_LINES = 50  # hazards listed in one message's body; the payload names all of them


def _by_key(users, role, lookup: str, keys, counties=None) -> dict:
    """{key: {user ids}} for users of `role` whose `lookup` is one of `keys` (one query); with
    `counties` (several counties), keyed (key, the user's county) instead."""
    found = defaultdict(set)
    if not keys:
        return found
    users = users.filter(role=role, **{f"{lookup}__in": keys})
    if counties is None:
        for user_id, key in users.values_list("pk", lookup):
            found[key].add(user_id)
    else:
        for user_id, key, county in users.values_list("pk", lookup, PERSON_COUNTY):
            found[(key, person_county(county, counties.home))].add(user_id)
    return found


def _several_counties(hazards):
    """Where the deployment has several counties, the county of each hazard ({hazard id:
    county id}, `home`): industries are shared by the counties and each county has its own
    office, so a department or the county office is told of its own county's hazards only. None
    in a one-county deployment (one query, nothing filtered)."""
    from citysafe.registry.counties import several_counties_home  # the same rule as every recipient list
    from citysafe.registry.models import Area

    home = several_counties_home()
    if home is None:
        return None
    townships = dict(Area.objects.filter(pk__in={h.township_id for h in hazards}).values_list("pk", "county"))
    return _HazardCounties({h.pk: townships.get(h.township_id) or home for h in hazards}, home)


class _HazardCounties(NamedTuple):
    of: dict    # hazard id -> county id
    home: int   # the home county (owns the users without an area)


def recipients_by_hazard(hazards, roles, counties=None) -> dict[int, set[int]]:
    """{hazard id: {user ids}} for the given roles, for a whole chunk at once (`counties`: see
    _several_counties)."""
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    wanted = defaultdict(set)
    lookups = ((Role.GRID, "grids", "grid_id"), (Role.ENTERPRISE, "enterprise_id", "owner_enterprise_id"),
               (Role.TOWNSHIP, "organisation__area_id", "township_id"),
               (Role.DEPARTMENT, "organisation__industries", "industry_id"))
    for role, lookup, column in lookups:
        if role not in roles:
            continue
        by_county = counties if role == Role.DEPARTMENT else None
        found = _by_key(users, role, lookup, {getattr(h, column) for h in hazards} - {None}, by_county)
        for hazard in hazards:
            key = getattr(hazard, column)
            wanted[hazard.pk] |= found.get(key if by_county is None else (key, counties.of[hazard.pk]), set())
    if Role.ADMIN in roles:
        office = county_office(users, counties)
        for hazard in hazards:
            wanted[hazard.pk] |= office[counties.of[hazard.pk] if counties else None]
    return wanted


def county_office(users=None, counties=None) -> dict:
    """{county id: the county office's user ids} (one county: {None: …}); a person's county by
    registry.counties' one rule (PERSON_COUNTY, person_county), as people_of_county reads it."""
    users = users or get_user_model().objects.filter(is_active=True, is_service_account=False)
    admins = users.filter(role=Role.ADMIN)
    found = defaultdict(set)
    if counties is None:
        found[None] = set(admins.values_list("pk", flat=True))
        return found
    for user_id, county in admins.values_list("pk", PERSON_COUNTY):
        found[person_county(county, counties.home)].add(user_id)
    return found


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

    counties = _several_counties(hazards)
    wanted = recipients_by_hazard(hazards, roles, counties)
    orphans = [h.pk for h in hazards if not wanted[h.pk]] if stage not in ("grid", "county") else []
    if orphans:  # nobody at this level: the county safety office (of the hazard's county) takes it now
        office = county_office(counties=counties)
        for pk in orphans:
            wanted[pk] = set(office[counties.of[pk] if counties else None])
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
