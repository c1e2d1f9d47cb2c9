"""Enterprise classification (分级分类): facts from the risk and hazard records, the editable
rule (kernels.enterprise_class), manual override with a reason. Audited."""
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.hazards.models import Grade, Hazard
from citysafe.registry.models import Enterprise
from citysafe.risks.models import RiskPoint
from citysafe.supervision.models import ClassificationRule, EnterpriseClass, SupervisionClass
from citysafe.supervision.services.common import field_error
from kernels.enterprise_class import ClassRule, EnterpriseFacts, classify, rule_from_dict, rule_problems, rule_to_dict


def current_rule() -> ClassificationRule:
    rule = ClassificationRule.objects.filter(archived_at__isnull=True).order_by("-id").first()
    if rule is None:
        rule = ClassificationRule.objects.create(rule=rule_to_dict(ClassRule()))
    return rule


@transaction.atomic
def update_rule(actor, data: dict, record_years: int | None = None) -> ClassificationRule:
    scope.require(actor, ClassificationRule, scope.Action.CHANGE)
    instance = current_rule()
    before = snapshot(instance)
    try:
        rule = rule_from_dict({**instance.rule, **data})
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise field_error("rule", _("分级分类规则的分值须为数字"), "invalid") from None
    problems = rule_problems(rule)
    if "thresholds" in problems:
        raise field_error("rule.thresholds", _("分类分数线须为三个由高到低的数（A、B、C类的最低分）"), "invalid")
    if "negative" in problems:
        raise field_error("rule", _("分级分类规则的分值不能为负数"), "invalid")
    if record_years is not None:
        if not 1 <= record_years <= 10:
            raise field_error("record_years", _("统计年限须在1至10年之间"), "out_of_range")
        instance.record_years = record_years
    instance.rule = rule_to_dict(rule)
    instance.version += 1
    instance.save()
    record_change(actor=actor, action="update", instance=instance, before=before, after=snapshot(instance))
    return instance


def facts_for(enterprises, year: int, record_years: int) -> dict[int, EnterpriseFacts]:
    """Each enterprise's facts as of the end of `year`: the highest level of its risk points
    (1 = 重大), its scale, hidden hazards found in the last `record_years` years (major ones apart).
    Accidents: the assessment app's accident records name a township and an industry but no
    enterprise, so none can be attributed yet (0) — the kernel takes them once they can."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(datetime(year - record_years + 1, 1, 1).date(), time.min, tzinfo=tz)
    until = datetime.combine(datetime(year + 1, 1, 1).date(), time.min, tzinfo=tz)
    ids = list(enterprises.values_list("pk", flat=True))
    levels = dict(RiskPoint.objects.filter(owner_enterprise__in=enterprises, archived_at__isnull=True, level__gt=0)
                  .values_list("owner_enterprise").annotate(m=Min("level")))
    hazards = {row[0]: row[1:] for row in Hazard.objects.filter(
        owner_enterprise__in=enterprises, archived_at__isnull=True, found_at__gte=since, found_at__lt=until)
        .values_list("owner_enterprise").annotate(n=Count("id"), major=Count("id", filter=Q(grade=Grade.MAJOR)))}
    scales = dict(Enterprise.objects.filter(pk__in=enterprises).values_list("pk", "scale"))
    return {pk: EnterpriseFacts(risk_level=levels.get(pk, 0), scale=scales[pk],
                                hazards=hazards.get(pk, (0, 0))[0] - hazards.get(pk, (0, 0))[1],
                                major_hazards=hazards.get(pk, (0, 0))[1]) for pk in ids}


@transaction.atomic
def classify_enterprises(actor, year: int) -> dict:
    """Compute the class of every enterprise in the actor's scope for `year`; a manual class
    stays (its computed class is refreshed beside it). One audit record for the run."""
    scope.require(actor, EnterpriseClass, scope.Action.CREATE)
    if not 2000 <= year <= 2100:
        raise field_error("year", _("年度须在2000至2100之间"), "out_of_range")
    stored = current_rule()
    rule = rule_from_dict(stored.rule)
    enterprises = scope.narrow(actor, Enterprise.objects.all())
    facts = facts_for(enterprises, year, stored.record_years)
    existing = {c.enterprise_id: c for c in EnterpriseClass.objects.filter(year=year, enterprise__in=enterprises)}
    now, new, changed = timezone.now(), [], []
    counts = dict.fromkeys(SupervisionClass.values, 0)
    for pk, fact in facts.items():
        cls, score, parts = classify(fact, rule)
        row = existing.get(pk)
        fact_json = {"risk_level": fact.risk_level, "scale": fact.scale, "hazards": fact.hazards,
                     "major_hazards": fact.major_hazards, "accidents": fact.accidents}
        if row is None:
            row = EnterpriseClass(enterprise_id=pk, year=year, computed_class=cls, score=score, facts=fact_json,
                                  parts=parts, computed_at=now)
            new.append(row)
        else:
            row.computed_class, row.score, row.facts, row.parts, row.computed_at = cls, score, fact_json, parts, now
            row.version += 1
            changed.append(row)
        counts[row.final_class] += 1
    EnterpriseClass.objects.bulk_create(new, batch_size=1000)
    EnterpriseClass.objects.bulk_update(changed, ["computed_class", "score", "facts", "parts", "computed_at", "version"],
                                        batch_size=1000)
    summary = {"year": year, "enterprises": len(facts), "new": len(new), "updated": len(changed), "classes": counts,
               "rule": stored.rule}
    record_change(actor=actor, action="classify", object_type=EnterpriseClass._meta.label, object_id=str(year),
                  object_repr=_("%(year)s年度企业分级分类") % {"year": year}, before=None, after=summary)
    return summary


@transaction.atomic
def override_class(actor, pk: int, new_class: str, reason: str, *, expected_version: int | None = None):
    """Set a class by hand (人工调整): a reason is required; '' as the class returns to the
    computed one. Audited with the before and after."""
    scope.require(actor, EnterpriseClass, scope.Action.CHANGE)
    row = scope.narrow(actor, EnterpriseClass.objects.select_for_update()).filter(pk=pk).first()
    if row is None:
        raise EnterpriseClass.DoesNotExist
    if expected_version is not None and expected_version != row.version:
        from citysafe.core.concurrency import StaleRecord
        raise StaleRecord(row, expected_version, [])
    errors = {}
    if new_class not in ("", *SupervisionClass.values):
        errors["manual_class"] = [ValidationError(_("分类须为A、B、C、D之一（留空则恢复计算分类）"), code="invalid")]
    if new_class and not (reason or "").strip():
        errors["override_reason"] = [ValidationError(_("人工调整分类须填写调整理由"), code="required")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(row)
    row.manual_class, row.override_reason = new_class, (reason or "").strip() if new_class else ""
    row.overridden_by = actor if new_class else None
    row.version += 1
    row.save()
    record_change(actor=actor, action="override_class", instance=row, before=before, after=snapshot(row),
                  note=row.override_reason)
    return row
