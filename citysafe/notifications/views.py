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


def acknowledge(request, code):
    """已收到 link from an SMS or e-mail: no sign-in (the code is the proof); a GET shows the
    button (link scanners must not acknowledge), the POST records it."""
    from django.core.exceptions import ValidationError

    done = False
    if request.method == "POST":
        try:
            services.acknowledge_by_code(code, detail="acknowledged by link")
        except ValidationError:
            raise Http404 from None
        done = True
    elif services.notification_for_code_exists(code) is False:
        raise Http404
    return render(request, "notifications/acknowledge.html", {"done": done, "code": code})
