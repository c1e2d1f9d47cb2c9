"""Keeping the index in step with the articles (called by the services, in their transaction)."""
from citysafe.knowledge.models import Article, Document
from citysafe.knowledge.search.backends import index_articles, unindex_articles
from citysafe.knowledge.search.segment import index_text


def title_text(document: Document, heading_path: str = "") -> str:
    return index_text(document.short_title, document.title, document.number, heading_path)


def index_document(document: Document) -> int:
    """(Re)segment and (re)index every article of a document; returns how many."""
    articles = list(Article.objects.filter(document=document).only("id", "text", "heading_path", "label"))
    rows = []
    titles: dict[str, str] = {}
    for article in articles:
        article.tokens = index_text(article.text)
        if article.heading_path not in titles:
            titles[article.heading_path] = title_text(document, article.heading_path)
        rows.append((article.pk, article.tokens, titles[article.heading_path]))
    Article.objects.bulk_update(articles, ["tokens"], batch_size=500)
    index_articles(rows)
    return len(rows)


def unindex_document(document: Document) -> None:
    unindex_articles(list(Article.objects.filter(document=document).values_list("id", flat=True)))


def rebuild_index() -> int:
    """Every article again (after a change of the segmentation's user words)."""
    return sum(index_document(document) for document in Document.objects.all())
