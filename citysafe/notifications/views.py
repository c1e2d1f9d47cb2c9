from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.notifications import selectors, services
from citysafe.notifications.models import InboxMessage


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def mark_read(request, pk):
    try:
        services.mark_read(request.user, pk)
    except InboxMessage.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("已标记为已读"))
    return redirect("notifications:inbox")
