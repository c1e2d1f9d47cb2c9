"""The accident record kind (C19), declared once: API (/api/v1/accidents), pages
(/assessment/accidents/…), Excel import/export (/io/) and the scope matrices come from it. Its
pieces are generated from the model by the emergency app's kind kit (the same shapes: plain,
choice, number, date and area fields), with this app's namespace."""
import dataclasses

from django.utils.translation import gettext_lazy as _

from citysafe.assessment.models import Accident
from citysafe.emergency.kindkit import Spec, build, col


def _check(instance, data, errors, actor):
    if instance.injuries is not None and instance.deaths is not None and instance.deaths > 10_000:
        errors.add("deaths", _("死亡人数超出合理范围"), "range")


ACCIDENTS = dataclasses.replace(build(Spec(
    Accident, key="accidents", singular="Accident", title=_("事故"),
    fields=("code", "kind", "occurred_on", "place", "township", "industry", "accident_type", "grade", "deaths",
            "injuries", "direct_loss", "investigation", "summary"),
    required=("code", "kind", "occurred_on", "place", "township"),
    columns=[col(_("事故编号"), "code", "code"), col(_("事故类别"), "kind"), col(_("发生日期"), "occurred_on"),
             col(_("所属乡镇"), "township"), col(_("死亡人数"), "deaths"), col(_("受伤人数"), "injuries"),
             col(_("调查处理状态"), "investigation")],
    filters=("township_id", "kind", "investigation"), search=("code", "place", "summary"),
    check=_check)), namespace="assessment")

KINDS = (ACCIDENTS,)
