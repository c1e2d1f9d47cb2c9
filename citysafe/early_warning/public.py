"""Public pages (no sign-in): active warnings on a map, history, a warning and its CAP,
the Atom feed and CAP index, subscription sign-up, the danger report (险情报告)."""
import json

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.early_warning import public_services, selectors
from citysafe.early_warning.areas import area_shape
from citysafe.early_warning.cap.export import to_xml
from citysafe.early_warning.forms import ConfirmForm, DangerReportForm, SubscribeForm


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _feature(warning, link: bool = True) -> dict | None:
    from shapely.geometry import mapping

    geom = area_shape(warning)
    if geom is None:
        return None
    properties = {"headline": warning.headline, "colour": warning.colour}
    if link:
        properties["url"] = reverse("early_warning:public_detail", args=[warning.identifier])
    return {"type": "Feature", "geometry": mapping(geom.simplify(0.0005)), "properties": properties}


def area_collection(warning, link: bool = True) -> dict:
    """The warning's area as a GeoJSON FeatureCollection (empty when it has none yet)."""
    feature = _feature(warning, link=link)
    return json.loads(json.dumps({"type": "FeatureCollection", "features": [feature] if feature else []}))


def active(request):
    warnings = list(selectors.active_warnings())
    features = [f for f in (_feature(w) for w in warnings) if f]
    return render(request, "early_warning/public_active.html", {
        "warnings": warnings, "areas": json.loads(json.dumps({"type": "FeatureCollection", "features": features}))})


def history(request):
    page = Paginator(selectors.public_warnings().order_by("-sent_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "early_warning/public_history.html", {"page": page})


def _published(identifier):
    try:
        return selectors.public_by_identifier(identifier)
    except ObjectDoesNotExist:
        raise Http404 from None


def detail(request, identifier):
    warning = _published(identifier)
    return render(request, "early_warning/public_detail.html", {"warning": warning, "areas": area_collection(warning)})


def cap(request, identifier):
    return HttpResponse(to_xml(_published(identifier)), content_type="application/cap+xml; charset=utf-8")


class ActiveWarningsFeed(Feed):
    """Atom feed of active warnings (links to the public pages)."""

    feed_type = Atom1Feed
    title = gettext_lazy("东乡县预警信息")
    subtitle = gettext_lazy("正在生效的预警")

    def link(self):
        return reverse("early_warning:public_active")

    def items(self):
        return selectors.active_warnings()[:100]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return reverse("early_warning:public_detail", args=[item.identifier])

    def item_guid(self, item):
        return item.identifier

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.sent_at


class CapIndexFeed(ActiveWarningsFeed):
    """The CAP index: an Atom feed whose entries link each active warning's CAP message."""

    title = gettext_lazy("东乡县预警信息 CAP索引")

    def item_link(self, item):
        return reverse("early_warning:public_cap", args=[item.identifier])

    def item_enclosures(self, item):
        from django.utils.feedgenerator import Enclosure

        return [Enclosure(reverse("early_warning:public_cap", args=[item.identifier]), "0", "application/cap+xml")]


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            public_services.subscribe(_client(request), channel=data["channel"], address=data["address"],
                                      area_ids=[a.pk for a in data["areas"]], lon=data["lon"], lat=data["lat"])
        except public_services.RateLimited:
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            status = 429
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            status = 422
        else:
            return redirect(f"{reverse('early_warning:public_confirm')}?channel={data['channel']}")
    elif request.method == "POST":
        status = 422
    return render(request, "early_warning/public_subscribe.html", {"form": form}, status=status)


def confirm(request):
    form = ConfirmForm(request.POST or None, initial={"channel": request.GET.get("channel", "sms")})
    done, status = False, 200
    if request.method == "POST" and form.is_valid():
        try:
            public_services.confirm_subscription(**form.cleaned_data)
            done = True
        except ValidationError as exc:
            form.add_error("code", exc.message_dict.get("code"))
            status = 422
    return render(request, "early_warning/public_confirm.html", {"form": form, "done": done}, status=status)


def report(request):
    form = DangerReportForm(request.POST or None)
    status, done = 200, False
    if request.method == "POST" and form.is_valid():
        try:
            public_services.report_danger(_client(request), form.cleaned_data)
            done = True
        except public_services.RateLimited:
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            status = 429
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "early_warning/public_report.html", {"form": form, "done": done}, status=status)
