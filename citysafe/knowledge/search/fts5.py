"""The SQLite FTS5 search, written against a `fetch(sql, params) -> rows` callable so that the
app (Django's connection) and bench/bench_knowledge_search.py (a bare sqlite3 connection) run
the same code.

bm25() is evaluated once per matching row: the score is selected under an alias and the
ORDER BY names the alias (writing `-bm25(…)` in the SELECT and `bm25(…)` in the ORDER BY makes
SQLite compute it twice per row, and bm25 over every match is most of a query's time)."""
from collections.abc import Callable

from citysafe.knowledge.search.query import CompiledQuery, to_fts5
from citysafe.knowledge.search.ranking import collect

Fetch = Callable[[str, list], list[tuple]]


def quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def frequency_sql(table: str) -> str:
    return f"SELECT count(*) FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - fixed name


def fts5_ranked(fetch: Fetch, table: str, compiled: CompiledQuery, limit: int, *, join: str = "",
                where: str = "", params: tuple = (),
                accept: Callable[[list[int]], set[int]] | None = None) -> list[tuple[int, float]]:
    """(rowid, score) best first, higher is better; `accept` keeps some of each batch."""
    sql = (f"SELECT f.rowid, bm25({table}, 1.0, 0.4) AS score FROM {table} f{join} "  # noqa: S608 - fixed names
           f"WHERE {table} MATCH %s{where} ORDER BY score, f.rowid LIMIT %s OFFSET %s")
    match = to_fts5(compiled)

    def fetch_batch(size: int, offset: int) -> list[tuple]:
        return [(row[0], -row[1]) for row in fetch(sql, [match, *params, size, offset])]
    if accept is None:
        return fetch_batch(limit, 0)
    return collect(fetch_batch, limit, accept=accept)[0]
