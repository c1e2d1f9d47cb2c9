"""The synonym table the search expands queries with (admin-editable, seeded)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.knowledge.models import Synonym
from citysafe.knowledge.search import stats

# Common abbreviations of the shipped laws and of terms people type; editable afterwards.
SEED = (
    ("安法", "安全生产法", "常用简称"), ("新安法", "安全生产法", "2021年修正后的简称"),
    ("特设法", "特种设备安全法", "常用简称"), ("职防法", "职业病防治法", "常用简称"),
    ("道交法", "道路交通安全法", "常用简称"), ("个保法", "个人信息保护法", "常用简称"),
    ("应对法", "突发事件应对法", "常用简称"), ("防震法", "防震减灾法", "常用简称"),
    ("城规法", "城乡规划法", "常用简称"), ("危化品", "危险化学品", "行业用语"), ("危化", "危险化学品", "行业用语"),
    ("民爆", "民用爆炸物品", "行业用语"), ("煤气", "燃气", "俗称"), ("液化气", "液化石油气", "俗称"),
    ("三同时", "同时设计、同时施工、同时投入生产和使用", "安全设施“三同时”"),
    ("消防通道", "消防车通道", "俗称"), ("安全通道", "疏散通道", "俗称"),
)


def _require_admin(actor) -> None:
    if not scope.may(actor, Synonym, scope.Action.CHANGE):
        raise PermissionDenied(_("只有县安委办管理员可以维护同义词"))


def _clean(term: str, expansion: str) -> tuple[str, str]:
    term, expansion = (term or "").strip(), (expansion or "").strip()
    errors = {}
    if not term or len(term) > 50:
        errors["term"] = [_("词语必填，不超过50个字")]
    if not expansion or len(expansion) > 100:
        errors["expansion"] = [_("同义或全称必填，不超过100个字")]
    if term and term == expansion:
        errors["expansion"] = [_("同义或全称不能与词语相同")]
    if errors:
        raise ValidationError(errors)
    return term, expansion


@transaction.atomic
def save_synonym(actor, term: str, expansion: str, note: str = "") -> Synonym:
    _require_admin(actor)
    term, expansion = _clean(term, expansion)
    synonym = Synonym.objects.select_for_update().filter(term=term).first()
    before = snapshot(synonym) if synonym else None
    synonym = synonym or Synonym(term=term)
    synonym.expansion, synonym.note = expansion, (note or "")[:200]
    synonym.save()
    record_change(actor=actor, action="update" if before else "create", instance=synonym, before=before,
                  after=snapshot(synonym))
    stats.clear()
    transaction.on_commit(stats.clear)  # and again: a search in between may have cached the old table
    return synonym


@transaction.atomic
def delete_synonym(actor, term: str) -> None:
    _require_admin(actor)
    synonym = Synonym.objects.select_for_update().filter(term=term).first()
    if synonym is None:
        raise ValidationError({"term": [_("没有这个词语")]})
    before = snapshot(synonym)
    synonym.delete()
    record_change(actor=actor, action="delete", object_type="knowledge.Synonym", object_id=term, object_repr=term,
                  before=before, after=None)
    stats.clear()
    transaction.on_commit(stats.clear)


def seed_synonyms(actor) -> int:
    """The shipped abbreviations, where the table does not have the term yet."""
    added = 0
    for term, expansion, note in SEED:
        if not Synonym.objects.filter(term=term).exists():
            save_synonym(actor, term, expansion, note)
            added += 1
    return added
