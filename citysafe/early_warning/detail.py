"""The staff page of one warning version, laid out as an official reads a warning: the level
colour and headline first, then what to do (workflow steps), the area on a map, the times,
the text and instructions, the review history, delivery per channel and township; the CAP
message as a download and a collapsed block, the remaining record fields collapsed too.

It replaces the kind's generic detail page at the same URL (`early_warning:detail`
"warnings" pk): the pattern comes before core.kinds' generic ones in urls.py."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from citysafe.core import scope
from citysafe.core.kinds.details import describe
from citysafe.core.kinds.views import get_or_404, kind_or_404
from citysafe.core.models import WorkflowEvent
from citysafe.early_warning.cap.export import CapRuleError, to_xml
from citysafe.early_warning.models import Warning

# Shown in the page's own sections; the collapsed "all fields" list leaves them out.
SHOWN_ABOVE = {"状态", "预警类型", "预警级别", "消息类型", "标题", "预警内容", "防御指南", "开始时间", "生效时间",
               "失效时间", "发布时间", "发布单位", "覆盖乡镇", "CAP标识", "导入的CAP原文", "区域多边形（GeoJSON）"}


def review_history(warning: Warning) -> list[dict]:
    """Every workflow step of this version, oldest first, with who took it and the note."""
    from citysafe.early_warning.workflows import WARNING

    titles = {t.name: t.title for t in WARNING.transitions.values()}
    labels = dict(Warning.Status.choices)
    events = (WorkflowEvent.objects.filter(object_type=Warning._meta.label, object_id=warning.pk)
              .select_related("actor", "actor__organisation").order_by("at", "id"))
    return [{"at": e.at, "title": titles.get(e.transition, e.transition), "from": labels.get(e.from_state, e.from_state),
             "to": labels.get(e.to_state, e.to_state), "note": e.note, "actor": e.actor,
             "organisation": getattr(getattr(e.actor, "organisation", None), "name", "")} for e in events]


def _cap_text(warning: Warning) -> str:
    """The CAP message of a published version, else the text of an imported alert."""
    if warning.identifier:
        try:
            return to_xml(warning).decode()
        except CapRuleError:
            return ""
    return warning.imported_cap


@login_required
def warning_detail(request, pk):
    from citysafe.early_warning.public import area_collection
    from citysafe.early_warning.views import warning_detail_extras

    kind = kind_or_404("warnings", "early_warning")
    user = request.user
    warning = get_or_404(user, kind, pk, include_archived=scope.sees_archived(user))
    fields = [(label, value) for label, value in describe(warning, user) if str(label) not in SHOWN_ABOVE]
    context = {
        "res": kind, "obj": warning, "other_fields": fields,
        "townships": list(warning.townships.order_by("code").values_list("name", flat=True)),
        "areas": area_collection(warning, link=False),
        "history": review_history(warning), "cap_text": _cap_text(warning),
        "may_change": (scope.may(user, Warning, scope.Action.CHANGE) and not warning.is_archived
                       and warning.status == Warning.Status.DRAFT),
        "may_archive": scope.may(user, Warning, scope.Action.ARCHIVE) and not warning.is_archived,
        "may_purge": scope.may(user, Warning, scope.Action.PURGE),
        **warning_detail_extras(request, warning),
    }
    return render(request, "early_warning/warning_detail.html", context)
