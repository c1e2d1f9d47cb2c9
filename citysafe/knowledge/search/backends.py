"""The article index, one interface over two engines, chosen by the database in use or by
KNOWLEDGE_SEARCH_BACKEND ("sqlite_fts5" / "postgres"):

- SQLite: an FTS5 table (body, title) over the space-joined jieba tokens, ranked by bm25()
  (title weighted 0.4: the law's name helps, the article's words decide);
- PostgreSQL: a tsvector ('simple' configuration, so the tokens are taken as they are) with
  the title at weight B and the body at A, a GIN index, ranked by ts_rank_cd.

Both tables are created by migration 0002 and kept in step by `index_articles` /
`unindex_articles`, which the services call in the transaction that changes the articles.
"""
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from citysafe.knowledge.search.query import CompiledQuery, to_fts5, to_tsquery

FTS_TABLE = "knowledge_article_fts"
TSV_TABLE = "knowledge_article_tsv"


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    issuer: str = ""
    statuses: tuple[str, ...] = ()
    published_only: bool = True
    current_only: bool = True
    document_id: int | None = None


def engine() -> str:
    chosen = getattr(settings, "KNOWLEDGE_SEARCH_BACKEND", "auto")
    if chosen == "auto":
        return "postgres" if connection.vendor == "postgresql" else "sqlite_fts5"
    return chosen


def _filter_sql(filters: Filters, true: str) -> tuple[str, list]:
    clauses, params = [], []
    if filters.published_only:
        clauses.append(f"d.is_published = {true}")
    if filters.current_only:
        clauses.append(f"d.is_current = {true}")
    if filters.kinds:
        clauses.append("d.kind IN (" + ", ".join(["%s"] * len(filters.kinds)) + ")")
        params += list(filters.kinds)
    if filters.statuses:
        clauses.append("d.status IN (" + ", ".join(["%s"] * len(filters.statuses)) + ")")
        params += list(filters.statuses)
    if filters.issuer:
        clauses.append("d.issuer = %s")
        params.append(filters.issuer)
    if filters.document_id is not None:
        clauses.append("d.id = %s")
        params.append(filters.document_id)
    return "".join(f" AND {c}" for c in clauses), params


def search_ids(compiled: CompiledQuery, filters: Filters, limit: int, offset: int = 0) -> list[tuple[int, float]]:
    """(article id, score) best first; higher score is better on both engines."""
    if compiled.is_empty:
        return []
    with connection.cursor() as cursor:
        if engine() == "postgres":
            where, params = _filter_sql(filters, "TRUE")
            cursor.execute(
                f"SELECT s.article_id, ts_rank_cd(s.tsv, q, 1) AS score "  # noqa: S608 - fixed names, params bound
                f"FROM {TSV_TABLE} s CROSS JOIN to_tsquery('simple', %s) q "
                f"JOIN knowledge_article a ON a.id = s.article_id JOIN knowledge_document d ON d.id = a.document_id "
                f"WHERE s.tsv @@ q{where} ORDER BY score DESC, s.article_id LIMIT %s OFFSET %s",
                [to_tsquery(compiled), *params, limit, offset])
        else:
            where, params = _filter_sql(filters, "1")
            cursor.execute(
                f"SELECT f.rowid, -bm25({FTS_TABLE}, 1.0, 0.4) AS score FROM {FTS_TABLE} f "  # noqa: S608
                f"JOIN knowledge_article a ON a.id = f.rowid JOIN knowledge_document d ON d.id = a.document_id "
                f"WHERE {FTS_TABLE} MATCH %s{where} ORDER BY bm25({FTS_TABLE}, 1.0, 0.4), f.rowid LIMIT %s OFFSET %s",
                [to_fts5(compiled), *params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def index_articles(rows: list[tuple[int, str, str]]) -> None:
    """Add or replace (article id, body tokens, title tokens) in the index."""
    if not rows:
        return
    ids = [r[0] for r in rows]
    unindex_articles(ids)
    with connection.cursor() as cursor:
        if engine() == "postgres":
            cursor.executemany(
                f"INSERT INTO {TSV_TABLE} (article_id, tsv) VALUES (%s, "  # noqa: S608
                f"setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B'))", rows)
        else:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, body, title) VALUES (%s, %s, %s)", rows)  # noqa: S608


def unindex_articles(ids: list[int]) -> None:
    if not ids:
        return
    table, column = (TSV_TABLE, "article_id") if engine() == "postgres" else (FTS_TABLE, "rowid")
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                           chunk)


def optimize_index() -> None:
    """After a bulk load: FTS5 merges its segments into one b-tree (queries read one instead of
    dozens); PostgreSQL refreshes the planner's statistics of the tsvector table."""
    with connection.cursor() as cursor:
        if engine() == "postgres":
            cursor.execute(f"ANALYZE {TSV_TABLE}")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


def create_index_tables(schema_editor) -> None:
    """Migration 0002: the engine's table (FTS5 is compiled into Python's sqlite3)."""
    if schema_editor.connection.vendor == "postgresql":
        # No foreign key to knowledge_article: Django's flush (TransactionTestCase, `manage.py
        # flush`) truncates only model tables, and PostgreSQL refuses to truncate a table another
        # table references. The services remove index rows in the transaction that changes the
        # articles (unindex_articles), and searches join knowledge_article, so a stale row never
        # surfaces.
        schema_editor.execute(f"CREATE TABLE {TSV_TABLE} (article_id bigint PRIMARY KEY, tsv tsvector NOT NULL)")
        schema_editor.execute(f"CREATE INDEX {TSV_TABLE}_gin ON {TSV_TABLE} USING gin (tsv)")
    else:
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, title, tokenize='unicode61')")


def drop_index_tables(schema_editor) -> None:
    table = TSV_TABLE if schema_editor.connection.vendor == "postgresql" else FTS_TABLE
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def drop_index_foreign_key(schema_editor) -> None:
    """Migration 0003: databases made before the foreign key was left out (see create_index_tables)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TSV_TABLE} DROP CONSTRAINT IF EXISTS {TSV_TABLE}_article_id_fkey")
