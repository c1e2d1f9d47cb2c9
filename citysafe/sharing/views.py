"""The delivery log page: the signed-in user's subscriptions and their latest deliveries.
Subscriptions are managed through the API (/api/v1/webhooks; docs/integration.md)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citysafe.sharing import selectors

PER_SUBSCRIPTION = 50


@login_required
@require_GET
def index(request):
    rows = [(sub, list(selectors.deliveries(request.user, sub.pk)[:PER_SUBSCRIPTION]))
            for sub in selectors.subscriptions(request.user)]
    return render(request, "sharing/index.html", {"rows": rows})
