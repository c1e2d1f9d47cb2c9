"""The article index, one interface over two engines, chosen by the database in use or by
KNOWLEDGE_SEARCH_BACKEND ("sqlite_fts5" / "postgres"):

- SQLite: an FTS5 table (body, title) over the space-joined jieba tokens, ranked by bm25()
  (title weighted 0.4: the law's name helps, the article's words decide), fts5.py;
- PostgreSQL: a tsvector ('simple' configuration, so the tokens are taken as they are) with
  the title at weight B and the body at A, a GIN index, ranked by the same BM25 (IDF from
  cached document frequencies, term frequency from ts_rank_cd): _postgres_ranked.

Both tables are created by migration 0002 and kept in step by `index_articles` /
`unindex_articles`, which the services call in the transaction that changes the articles.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from citysafe.knowledge.search import stats
from citysafe.knowledge.search.fts5 import frequency_sql, fts5_ranked, quote
from citysafe.knowledge.search.query import CompiledQuery, _quote_ts, to_tsquery
from citysafe.knowledge.search.ranking import K1, B, collect, idf

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


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _database() -> str:
    return str(connection.settings_dict.get("NAME"))


def frequency(token: str) -> int:
    """How many indexed articles hold `token` (cached, stats.py)."""
    def count():
        if engine() == "postgres":
            sql = f"SELECT count(*) FROM {TSV_TABLE} WHERE tsv @@ to_tsquery('simple', %s)"  # noqa: S608
            return _fetch(sql, [_quote_ts(token)])[0][0]
        return _fetch(frequency_sql(FTS_TABLE), [quote(token)])[0][0]
    return stats.cached((_database(), engine(), "df", token.lower()), count)


def indexed_total() -> int:
    table = TSV_TABLE if engine() == "postgres" else FTS_TABLE
    return stats.cached((_database(), engine(), "total"),
                        lambda: _fetch(f"SELECT count(*) FROM {table}", [])[0][0])  # noqa: S608


def _average_length() -> float:
    return stats.cached((_database(), engine(), "avgdl"), lambda: float(
        _fetch(f"SELECT coalesce(avg(tokens), 1) FROM {TSV_TABLE}", [])[0][0]) or 1.0)  # noqa: S608


_JOIN = " JOIN knowledge_article a ON a.id = {id} JOIN knowledge_document d ON d.id = a.document_id"


def search_ids(compiled: CompiledQuery, filters: Filters, limit: int, *,
               accept: Callable[[list[int]], set[int]] | None = None) -> list[tuple[int, float]]:
    """(article id, score) best first, at most `limit`; higher score is better on both engines.
    `accept` (the phrase check) keeps some of each batch of candidate ids."""
    if compiled.is_empty:
        return []
    if engine() == "postgres":
        return _postgres_ranked(compiled, filters, limit, accept)
    where, params = _filter_sql(filters, "1")
    return fts5_ranked(_fetch, FTS_TABLE, compiled, limit, join=_JOIN.format(id="f.rowid"), where=where,
                       params=tuple(params), accept=accept)


_COUNT_TOKEN = f"(SELECT count(*) FROM {TSV_TABLE} WHERE tsv @@ to_tsquery('simple', %s))"  # noqa: S608
_COUNT_ROWS = f"(SELECT count(*) FROM {TSV_TABLE})"  # noqa: S608
_AVERAGE_TOKENS = f"(SELECT coalesce(avg(tokens), 1) FROM {TSV_TABLE})"  # noqa: S608


def _postgres_statistics(tokens: list[str]) -> tuple[dict[str, int], int, float]:
    """Document frequencies of `tokens`, the row count and the average token count, from the
    cache, the missing ones in one round trip (each count through the GIN index)."""
    base = (_database(), "postgres")
    keys = {token: (*base, "df", token.lower()) for token in tokens}
    wanted = [(key, _COUNT_TOKEN, [_quote_ts(t)]) for t, key in keys.items() if stats.peek(key) is None]
    for key, sql in (((*base, "total"), _COUNT_ROWS), ((*base, "avgdl"), _AVERAGE_TOKENS)):
        if stats.peek(key) is None:
            wanted.append((key, sql, []))
    if wanted:
        row = _fetch("SELECT " + ", ".join(sql for _key, sql, _params in wanted),  # noqa: S608 - fixed names
                     [p for _key, _sql, params in wanted for p in params])[0]
        for (key, _sql, _params), value in zip(wanted, row, strict=True):
            stats.put(key, float(value or 1.0) if key[-1] == "avgdl" else int(value))
    frequencies = {token: stats.peek(key) or 0 for token, key in keys.items()}
    return frequencies, stats.peek((*base, "total")) or 0, stats.peek((*base, "avgdl")) or 1.0


def _postgres_ranked(compiled, filters, limit, accept):
    """BM25 as FTS5 computes it: per query token (one per occurrence in the query, as FTS5
    counts phrases) IDF from the cached document frequency times the saturated weighted term
    frequency; ts_rank_cd of a one-token query with weights {D, C, B, A} = {0, 0, 0.4, 1.0}
    is exactly that weighted frequency (title 0.4, body 1.0, FTS5's weights). The document
    length is the row's token count (column `tokens`, as FTS5 counts them)."""
    where, params = _filter_sql(filters, "TRUE")
    tokens = [token for group in compiled.groups for alternative in group for token in alternative]
    frequencies, total, average = _postgres_statistics(tokens)
    lateral = ", ".join(f"ts_rank_cd('{{0, 0, 0.4, 1.0}}', s.tsv, to_tsquery('simple', %s), 0) AS f{i}"
                        for i in range(len(tokens)))
    norm = f"({K1} * (1 - {B} + {B} * s.tokens / %s))"
    score = " + ".join(f"%s * r.f{i} * {K1 + 1} / (r.f{i} + {norm})" for i in range(len(tokens)))
    score_params = [value for token in tokens for value in (idf(frequencies[token], total), average)]
    sql = (f"SELECT s.article_id, {score} AS score FROM {TSV_TABLE} s "  # noqa: S608 - fixed names, params bound
           f"CROSS JOIN LATERAL (SELECT {lateral}) r{_JOIN.format(id='s.article_id')} "
           f"WHERE s.tsv @@ to_tsquery('simple', %s){where} ORDER BY score DESC, s.article_id LIMIT %s OFFSET %s")
    head = [*score_params, *[_quote_ts(t) for t in tokens], to_tsquery(compiled), *params]

    def batch(size, offset):
        return _fetch(sql, [*head, size, offset])
    if accept is None:
        return [(row[0], float(row[1])) for row in batch(limit, 0)]
    return collect(batch, limit, accept=accept)[0]


def index_articles(rows: list[tuple[int, str, str]]) -> None:
    """Add or replace (article id, body tokens, title tokens) in the index."""
    if not rows:
        return
    ids = [r[0] for r in rows]
    unindex_articles(ids)
    stats.clear()
    with connection.cursor() as cursor:
        if engine() == "postgres":
            cursor.executemany(
                f"INSERT INTO {TSV_TABLE} (article_id, tsv, tokens) VALUES (%s, "  # noqa: S608
                f"setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B'), %s)",
                [(pk, body, title, len(body.split()) + len(title.split())) for pk, body, title in rows])
        else:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, body, title) VALUES (%s, %s, %s)", rows)  # noqa: S608


def unindex_articles(ids: list[int]) -> None:
    if not ids:
        return
    stats.clear()
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


def add_token_count(schema_editor) -> None:
    """Migration 0004: the PostgreSQL rows' token count (BM25's document length). Rows indexed
    before it get the body's count from knowledge_article.tokens (the title's few tokens are
    added at the next index_document / rebuild_index)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TSV_TABLE} ADD COLUMN IF NOT EXISTS tokens integer NOT NULL DEFAULT 0")
        count = "coalesce(array_length(regexp_split_to_array(a.tokens, ' '), 1), 0)"
        schema_editor.execute(f"UPDATE {TSV_TABLE} s SET tokens = {count} FROM knowledge_article a "  # noqa: S608
                              f"WHERE a.id = s.article_id")


def drop_index_foreign_key(schema_editor) -> None:
    """Migration 0003: databases made before the foreign key was left out (see create_index_tables)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TSV_TABLE} DROP CONSTRAINT IF EXISTS {TSV_TABLE}_article_id_fkey")
