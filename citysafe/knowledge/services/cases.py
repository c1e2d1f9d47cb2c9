"""Accident cases: each is a Document of kind 事故案例 whose articles are its narrative (经过,
原因, 教训, 措施) — searched like the laws — plus an AccidentCase row with the facts.
Articles violated are stored as citation references and must resolve (else a clear error)."""
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.knowledge.case_models import AccidentCase, AccidentType
from citysafe.knowledge.citations import resolve_citation
from citysafe.knowledge.models import Article, Document
from citysafe.knowledge.search.indexing import index_document

# The narrative parts of a case, in order: (field, article key, label).
SECTIONS = (("summary", "1", gettext_noop("事故经过")), ("cause", "2", gettext_noop("事故原因")), ("lessons", "3", gettext_noop("事故教训")),
            ("measures", "4", gettext_noop("防范和整改措施")))
REQUIRED = ("title", "occurred_on", "place", "industry", "accident_type", "summary", "cause")


def clean_case(data: dict) -> dict:
    """Check one case's values; ValidationError naming each bad field (Chinese)."""
    errors, clean = {}, {}
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            errors[name] = [_("此字段为必填项")]
    for name, most in (("title", 200), ("place", 200), ("industry", 100), ("summary", 20000), ("cause", 20000),
                       ("lessons", 20000), ("measures", 20000)):
        value = str(data.get(name) or "").strip()
        if len(value) > most:
            errors[name] = [_("不能超过%(n)d个字") % {"n": most}]
        clean[name] = value
    occurred = data.get("occurred_on")
    if isinstance(occurred, datetime.datetime):
        occurred = occurred.date()
    if isinstance(occurred, str) and occurred:
        try:
            occurred = datetime.date.fromisoformat(occurred.strip())
        except ValueError:
            errors["occurred_on"] = [_("日期格式应为 YYYY-MM-DD")]
    if isinstance(occurred, datetime.date) and occurred > datetime.date.today():
        errors["occurred_on"] = [_("事故日期不能晚于今天")]
    clean["occurred_on"] = occurred
    clean["accident_type"] = _accident_type(data.get("accident_type"), errors)
    for name in ("deaths", "injuries"):
        try:
            clean[name] = int(data.get(name) or 0)
            if clean[name] < 0 or clean[name] > 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = [_("应为0或正整数")]
    try:
        clean["direct_loss"] = Decimal(str(data.get("direct_loss") or 0)).quantize(Decimal("0.01"))
        if clean["direct_loss"] < 0 or clean["direct_loss"] >= Decimal("1e10"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["direct_loss"] = [_("应为不小于0的金额（万元）")]
    clean["violated"] = _violated(data.get("violated") or [], errors)
    if errors:
        raise ValidationError(errors)
    return clean


def _accident_type(value, errors) -> str:
    value = str(value or "").strip()
    by_label = {str(label): key for key, label in AccidentType.choices}
    if value in AccidentType.values:
        return value
    if value in by_label:
        return by_label[value]
    if value:
        errors["accident_type"] = [_("事故类型应为 GB 6441 的类别之一（如 火灾、高处坠落）")]
    return ""


def _violated(lines, errors) -> list[str]:
    if isinstance(lines, str):
        lines = [x for part in lines.splitlines() for x in part.split("；")]
    references, problems = [], []
    for line in (str(x).strip() for x in lines):
        if not line:
            continue
        citation = resolve_citation(line)
        if citation.is_resolved:
            references.append(citation.reference)
        else:
            problems.append(_("“%(text)s”：%(reason)s") % {"text": line, "reason": citation.reason})
    if problems:
        errors["violated"] = problems
    return references


def _require_admin(actor) -> None:
    if not scope.may(actor, AccidentCase, scope.Action.CREATE):
        raise PermissionDenied(_("只有县安委办管理员可以维护事故案例"))


@transaction.atomic
def create_case(actor, data: dict, *, is_synthetic: bool = False, is_published: bool = True) -> AccidentCase:
    _require_admin(actor)
    clean = clean_case(data)
    if Document.objects.filter(short_title=clean["title"][:100], is_current=True).exists():
        raise ValidationError({"title": [_("已有同名的文件或案例")]})
    document = Document.objects.create(
        kind=Document.Kind.ACCIDENT_CASE, title=clean["title"], short_title=clean["title"][:100],
        issuer=str(data.get("issuer") or "")[:100], promulgated_on=clean["occurred_on"],
        version_date=clean["occurred_on"], is_synthetic=is_synthetic, is_published=is_published)
    Article.objects.bulk_create([
        Article(document=document, key=key, label=label, number=int(key), position=int(key),
                text=clean[field]) for field, key, label in SECTIONS if clean[field]])
    case = AccidentCase.objects.create(document=document, **{k: clean[k] for k in (
        "occurred_on", "place", "industry", "accident_type", "deaths", "injuries", "direct_loss", "violated")})
    index_document(document)
    record_change(actor=actor, action="create", instance=case, before=None, after=snapshot(case))
    return case
