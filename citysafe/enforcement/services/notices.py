"""Whom a case's steps and deadlines are told to (through the outbox, citysafe.notifications):
the township and department regulating the enterprise, the enterprise's officers for the steps
that concern the party (notice, decision, demand), the county office for overdue limits."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.enforcement.models import Case
from citysafe.registry.counties import people_of_county, record_county

PARTY_STEPS = {"notify", "decide", "demand", "enforce"}


def people_of(case: Case, roles) -> list:
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    wanted = users.none()
    if Role.TOWNSHIP in roles and case.township_id:
        wanted = wanted | users.filter(role=Role.TOWNSHIP, organisation__area_id=case.township_id)
    # departments and the county office: the case's own county's only (registry.counties)
    county = users if not {Role.DEPARTMENT, Role.ADMIN} & set(roles) else people_of_county(
        users, record_county(case.township_id))
    if Role.DEPARTMENT in roles and case.industry_id:
        wanted = wanted | county.filter(role=Role.DEPARTMENT, organisation__industries=case.industry_id)
    if Role.ENTERPRISE in roles:
        wanted = wanted | users.filter(role=Role.ENTERPRISE, enterprise_id=case.enterprise_id)
    if Role.ADMIN in roles:
        wanted = wanted | county.filter(role=Role.ADMIN)
    return list(wanted.distinct().order_by("id"))


def link_to(case: Case) -> str:
    return reverse("enforcement:detail", args=["cases", case.pk])


def notify_transition(ctx) -> None:
    from citysafe.notifications.services import notify_many

    case: Case = ctx.instance
    roles = [Role.TOWNSHIP, Role.DEPARTMENT] + ([Role.ENTERPRISE] if ctx.transition.name in PARTY_STEPS else [])
    actor_pk = getattr(ctx.actor, "pk", None)
    recipients = [u for u in people_of(case, roles) if u.pk != actor_pk]
    if not recipients:
        return
    notify_many(recipients, kind="enforcement_case",
                subject=_("执法案件%(number)s：%(step)s") % {"number": case.number or case.pk,
                                                           "step": ctx.transition.title},
                body=case.cause, link=link_to(case), dedupe_key=f"workflow-event:{ctx.event.pk}")
