"""The admin page of the grading thresholds: lists every method's rows; a change goes through
services.rules_admin.change_threshold (re-grades and audits)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysafe.core.concurrency import StaleRecord
from citysafe.core.roles import Role
from citysafe.core.workflow.views import error_text
from citysafe.risks.models import LevelRule, MethodScale, MethodThreshold, ReviewRule
from citysafe.risks.services.rules_admin import may_change_thresholds


@login_required
def threshold_page(request):
    # Reading: the county-wide roles (the table is a PUBLIC directory, but this page is the
    # county office's tool); changing: the permission table (may_change_thresholds).
    if not (may_change_thresholds(request.user) or request.user.role == Role.LEADER):
        raise PermissionDenied
    if request.method == "POST":
        from citysafe.risks.services.rules_admin import change_threshold

        try:
            result = change_threshold(request.user, int(request.POST.get("id", "0")), request.POST.get("lower_bound"),
                                      expected_version=int(request.POST.get("version", "0")))
        except (ValueError, TypeError):
            messages.error(request, _("请求无效"))
        except StaleRecord as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("阈值已修改，重新定级的风险点：%(n)s个") % {"n": result.regraded})
        return redirect("risks:thresholds")
    return render(request, "risks/thresholds.html", {
        "thresholds": MethodThreshold.objects.all(), "scales": MethodScale.objects.all(),
        "review_rules": ReviewRule.objects.all(), "level_rules": LevelRule.objects.all(),
        "may_edit": may_change_thresholds(request.user)})
