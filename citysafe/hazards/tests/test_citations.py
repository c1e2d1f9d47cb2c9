"""Every article the hazards app cites exists in the shipped laws (the knowledge app resolves it)."""
import pytest

from citysafe.hazards.inspection_models import ChecklistTemplate
from citysafe.hazards.models import RewardRule
from citysafe.hazards.services.documents import ORDER_BASIS, REVIEW_BASIS
from citysafe.knowledge.citations import find_citations_in, resolve_citation
from citysafe.knowledge.tests.conftest import laws, shipped  # noqa: F401 - the loaded laws

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("laws")]


def _unresolved(texts):
    return [(text, resolve_citation(text).reason) for text in texts if not resolve_citation(text).is_resolved]


def test_the_rectification_order_and_review_cite_articles_that_exist():
    assert _unresolved(ORDER_BASIS + REVIEW_BASIS) == []


def test_every_seeded_checklist_item_cites_an_article_that_exists():
    bases = {item["basis"] for template in ChecklistTemplate.objects.all() for item in template.items}
    assert bases
    assert _unresolved(sorted(bases)) == []


def test_reward_rules_cite_only_articles_that_exist():
    cited = [c for rule in RewardRule.objects.all() for c in find_citations_in(rule.basis)]
    assert cited, "the major-hazard rule names its legal basis"
    assert [(c.text, c.reason) for c in cited if not c.is_resolved] == []
