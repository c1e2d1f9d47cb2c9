"""Yearly base figures (GDP, vehicles, population) the office enters for the indicators."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.assessment.models import BaseFigure
from citysafe.assessment.services.home import county_of, in_county
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot


@transaction.atomic
def save_base_figure(actor, *, year: int, gdp_yi, vehicles_wan, population) -> BaseFigure:
    scope.require(actor, BaseFigure, scope.Action.CREATE)
    errors, values = {}, {}
    for name, raw in (("gdp_yi", gdp_yi), ("vehicles_wan", vehicles_wan), ("population", population)):
        try:
            number = Decimal(str(raw))
            if not number.is_finite() or number <= 0:
                raise InvalidOperation
            values[name] = number
        except (InvalidOperation, ValueError):
            errors[name] = [ValidationError(_("必须是大于0的数字"), code="range")]
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [ValidationError(_("年度应在2000至2100之间"), code="range")]
    if errors:
        raise ValidationError(errors)
    county = county_of(actor)
    if county is None:
        raise ValidationError({"county": [ValidationError(_("年度基础数据由县安委办填报"), code="county")]})
    # of=("self",): the county condition outer-joins the area, which PostgreSQL refuses to lock.
    figure = (BaseFigure.objects.select_for_update(of=("self",)).filter(year=year)
              .filter(in_county(county, "county")).first())
    before = snapshot(figure) if figure else None
    figure = figure or BaseFigure(year=year, county_id=county)
    figure.gdp_yi, figure.vehicles_wan, figure.population = values["gdp_yi"], values["vehicles_wan"], int(values["population"])
    if before:
        figure.version += 1
    figure.save()
    record_change(actor=actor, action="update" if before else "create", instance=figure, before=before,
                  after=snapshot(figure))
    return figure
