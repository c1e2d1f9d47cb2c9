"""The delivery log page: the signed-in user's subscriptions and their latest deliveries.
Subscriptions are managed through the API (/api/v1/webhooks; docs/integration.md)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citysafe.sharing import selectors
from citysafe.sharing.webhooks.events import choices

PER_SUBSCRIPTION = 50


@login_required
@require_GET
def index(request):
    labels = dict(choices())
    rows = []
    for sub in selectors.subscriptions(request.user):
        deliveries = list(selectors.deliveries(request.user, sub.pk)[:PER_SUBSCRIPTION])
        for delivery in deliveries:
            delivery.event_label = labels.get(delivery.event, delivery.event)
        sub.event_labels = [labels.get(event, event) for event in sub.events]
        rows.append((sub, deliveries))
    return render(request, "sharing/index.html", {"rows": rows})
