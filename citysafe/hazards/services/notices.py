"""Whom a step of the loop tells (through the notification outbox, in the transition's
transaction): the finder, the enterprise's officers and the township's officers."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.hazards.models import Hazard
from citysafe.registry.counties import people_of_county, record_county


def people_of(hazard: Hazard, roles=(Role.TOWNSHIP, Role.ENTERPRISE)):
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    wanted = users.none()
    if Role.TOWNSHIP in roles and hazard.township_id:
        wanted = wanted | users.filter(role=Role.TOWNSHIP, organisation__area_id=hazard.township_id)
    if Role.ENTERPRISE in roles and hazard.owner_enterprise_id:
        wanted = wanted | users.filter(role=Role.ENTERPRISE, enterprise_id=hazard.owner_enterprise_id)
    if Role.GRID in roles and hazard.grid_id:
        wanted = wanted | users.filter(role=Role.GRID, grids=hazard.grid_id)
    # departments and the county office: the hazard's own county's only (registry.counties)
    county = users if not {Role.DEPARTMENT, Role.ADMIN} & set(roles) else people_of_county(
        users, record_county(hazard.township_id))
    if Role.DEPARTMENT in roles and hazard.industry_id:
        wanted = wanted | county.filter(role=Role.DEPARTMENT, organisation__industries=hazard.industry_id)
    if Role.ADMIN in roles:
        wanted = wanted | county.filter(role=Role.ADMIN)
    return list(wanted.distinct().order_by("id"))


def link_to(hazard: Hazard) -> str:
    return reverse("hazards:detail", args=["hazards", hazard.pk])


def notify_transition(ctx) -> None:
    from citysafe.notifications.models import Priority
    from citysafe.notifications.services import notify_many, sms_copies

    hazard: Hazard = ctx.instance
    actor_pk = getattr(ctx.actor, "pk", None)
    recipients = [u for u in people_of(hazard) if u.pk != actor_pk]
    if hazard.finder_id and hazard.finder_id != actor_pk and hazard.finder.is_active \
            and hazard.finder_id not in {u.pk for u in recipients}:
        recipients.append(hazard.finder)
    if hazard.is_major and hazard.responsible_user_id and hazard.responsible_user_id != actor_pk \
            and hazard.responsible_user.is_active and hazard.responsible_user_id not in {u.pk for u in recipients}:
        recipients.append(hazard.responsible_user)  # a major hazard's rectification lead is told too
    if not recipients:
        return
    message = {"kind": "hazard_transition", "link": link_to(hazard), "payload": {"hazard": hazard.pk},
               "subject": _("隐患%(code)s：%(step)s") % {"code": hazard.code or hazard.pk, "step": ctx.transition.title},
               "body": ctx.note or "", "dedupe_key": f"workflow-event:{ctx.event.pk}"}
    notify_many(recipients, **message)
    if hazard.is_major:  # urgent: also by SMS to everyone with a phone (when the SMS channel is configured)
        sms_copies(recipients, priority=Priority.URGENT, **message)
