"""New assessment / new measure of one risk point (linked from its detail page): the generic
form with the risk point chosen, saved through the same services; outside the user's scope the
risk point does not exist (404). A factor's error lands on its own input."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.kinds import get_kind
from citysafe.core.kinds.views import _apply_errors
from citysafe.risks import services
from citysafe.risks.models import RiskPoint

SAVE = {"assessments": services.assess_risk_point,
        "control-measures": lambda user, pk, data: services.create_measure(user, {**data, "risk_point_id": pk})}


def _factor_fields(exc: ValidationError) -> ValidationError:
    """"inputs.l" (the service's name) → "factor_l" (the form's input)."""
    return ValidationError({(f"factor_{name[7:]}" if name.startswith("inputs.") else name): errors
                            for name, errors in exc.error_dict.items()}) if hasattr(exc, "error_dict") else exc


@login_required
def new_for_point(request, pk, resource):
    kind = get_kind(resource)
    if resource not in SAVE:
        raise Http404
    try:
        point = scope.get_in_scope(request.user, RiskPoint.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    scope.require(request.user, kind.model, scope.Action.CREATE)
    form = kind.form(request.POST or None, user=request.user, initial={"risk_point_id": point.pk},
                     allowed=scope.changeable_fields(request.user, kind.model, creating=True))
    if request.method == "POST" and form.is_valid():
        data = form.to_service_data(creating=True)
        data.pop("risk_point_id", None)
        try:
            obj = SAVE[resource](request.user, point.pk, data)
        except ValidationError as exc:
            _apply_errors(form, _factor_fields(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect(kind.urls["detail"], kind.key, obj.pk)
    return render(request, "records/form.html", {"res": kind, "form": form, "obj": None})
