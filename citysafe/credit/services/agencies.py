"""Service agencies: the evaluator of an evaluation, scope keys of a service, and the ranking."""
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.credit.models import AgencyEvaluation, AgencyService, ServiceAgency


def check_service(instance, data, errors, actor) -> None:
    if instance.enterprise_id:
        enterprise = instance.enterprise
        instance.township_id, instance.grid_id = enterprise.township_id, enterprise.grid_id
        instance.industry_id = enterprise.industry_id
    if instance.delivered_on and instance.delivered_on > timezone.localdate():
        errors.add("delivered_on", _("服务日期不能晚于今天"), "in_future")


def check_evaluation(instance, data, errors, actor) -> None:
    if instance.pk is None and getattr(actor, "pk", None):
        instance.evaluator = actor


def check_qualification(instance, data, errors, actor) -> None:
    if instance.valid_from and instance.valid_until and instance.valid_until < instance.valid_from:
        errors.add("valid_until", _("资质有效期至不能早于有效期起"), "period_order")


def ranking(user, today=None) -> list[dict]:
    """Agencies by their mean evaluation score (then by the number of evaluations), with the
    services delivered and the qualifications valid today. Aggregates only: no enterprise is
    named, so every user of a county sees the same ranking — of that county's services and
    evaluations (`scope.in_counties`: with several counties, another county's never count;
    the prefecture office: its counties')."""
    today = today or timezone.localdate()
    services = scope.in_counties(user, AgencyService.objects.all()).values("pk")
    evaluations = scope.in_counties(user, AgencyEvaluation.objects.all()).values("pk")
    rows = ServiceAgency.objects.filter(archived_at__isnull=True).annotate(
        mean=Avg("services__evaluations__score", filter=Q(services__evaluations__in=evaluations)),
        evaluations=Count("services__evaluations", filter=Q(services__evaluations__in=evaluations), distinct=True),
        services_count=Count("services", filter=Q(services__in=services), distinct=True),
        valid=Count("qualifications", filter=Q(qualifications__archived_at__isnull=True,
                                                qualifications__valid_from__lte=today,
                                                qualifications__valid_until__gte=today), distinct=True),
    ).order_by("-mean", "-evaluations", "code")
    result, rank, previous = [], 0, object()
    for position, agency in enumerate(rows, start=1):
        key = (agency.mean, agency.evaluations)
        if agency.mean is not None and key != previous:
            rank, previous = position, key
        result.append({"rank": rank if agency.mean is not None else None, "id": agency.pk, "code": agency.code,
                       "name": agency.name, "mean_score": round(agency.mean, 1) if agency.mean is not None else None,
                       "evaluations": agency.evaluations, "services": agency.services_count,
                       "valid_qualifications": agency.valid})
    return result
