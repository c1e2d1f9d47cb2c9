"""BM25 pieces shared by both index engines and bench/bench_knowledge_search.py: FTS5's IDF
(the PostgreSQL score computes BM25 as FTS5 does, with document frequencies from stats.py)
and the walk over ranked candidates that the phrase check filters."""
import math
from collections.abc import Callable

K1, B = 1.2, 0.75       # FTS5's bm25() constants (sqlite/ext/fts5/fts5_aux.c)


def idf(frequency: int, total: int) -> float:
    """FTS5's bm25() IDF (sqlite/ext/fts5/fts5_aux.c), clamped the same way."""
    value = math.log((total - frequency + 0.5) / (frequency + 0.5)) if total else 0.0
    return max(value, 1e-6)


def collect(fetch_batch: Callable[[int, int], list[tuple]], limit: int, *,
            accept: Callable[[list[int]], set[int]] | None = None, batch: int = 0,
            max_batches: int = 20) -> tuple[list[tuple[int, float]], bool]:
    """Walk the ranked candidates (id, score), `fetch_batch(size, offset)`, keeping those that
    pass `accept` (the phrase check) until `limit` are kept. Returns (kept, complete): complete
    is False when the walk stopped at `max_batches` with candidates left."""
    batch = batch or max(50, limit * 4)
    kept: list[tuple[int, float]] = []
    for number in range(max_batches):
        rows = fetch_batch(batch, number * batch)
        last = len(rows) < batch
        allowed = accept([r[0] for r in rows]) if accept is not None and rows else None
        kept += [(r[0], float(r[1])) for r in rows if allowed is None or r[0] in allowed]
        if len(kept) >= limit or last:
            return kept[:limit], True
    return kept, False
