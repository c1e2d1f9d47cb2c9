"""The shipped laws, the seed policy, the synonyms and the demo cases, loaded once per test
module (about 3 s) through the real import service, and removed again afterwards."""
import pytest
from django.conf import settings


def load_everything(admin) -> None:
    from citysafe.knowledge.demo_cases import load_demo_cases
    from citysafe.knowledge.services.documents import import_document
    from citysafe.knowledge.services.synonyms import seed_synonyms

    for path in sorted(settings.KNOWLEDGE_LAWS_DIR.glob("*.md")):
        assert import_document(admin, path.name, path.read_bytes()).ok, path
    for path in sorted(settings.KNOWLEDGE_SEED_DIR.glob("*.txt")):
        assert import_document(admin, path.name, path.read_bytes(), kind="county_document", issuer="东乡县人民政府").ok
    seed_synonyms(admin)
    load_demo_cases(admin)


def remove_everything() -> None:
    from citysafe.knowledge.models import Article, Document, Question, Synonym
    from citysafe.knowledge.search.backends import unindex_articles

    unindex_articles(list(Article.objects.values_list("id", flat=True)))
    Question.objects.all().delete()
    Synonym.objects.all().delete()
    while Document.objects.exists():  # newest versions first (a version protects its previous one)
        Document.objects.filter(next_version__isnull=True).delete()


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    from citysafe.accounts.models import User

    with django_db_blocker.unblock():
        remove_everything()
        load_everything(User.objects.get(username="admin"))
        yield
        remove_everything()


@pytest.fixture
def laws(shipped, world):
    """Every test that reads the knowledge base: the loaded laws and the demo county's users.
    The search's cached counts and synonyms start afresh (a previous test's rolled-back
    imports must not rank this one's results)."""
    from citysafe.knowledge.search import stats

    stats.clear()
    return world
