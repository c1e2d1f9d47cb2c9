"""Per-process cache of the index's statistics that ranking needs: how many articles hold a
token (document frequency), how many articles there are, their average length. Counting a
common token's articles takes a millisecond or more; a query's words repeat, so the counts are
kept for TTL seconds. The index writers in this process clear the cache (index_articles,
unindex_articles); another process's change is seen within TTL. A stale count only moves the
order of results a little (IDF), never which articles match."""
import time
from collections.abc import Callable

TTL = 300.0
MAX_ENTRIES = 50_000
_cache: dict[tuple, tuple[object, float]] = {}


def clear() -> None:
    _cache.clear()


def peek(key: tuple):
    """The cached value, or None when absent or expired."""
    hit = _cache.get(key)
    return hit[0] if hit is not None and hit[1] > time.monotonic() else None


def put(key: tuple, value) -> None:
    if len(_cache) >= MAX_ENTRIES:
        _cache.clear()
    _cache[key] = (value, time.monotonic() + TTL)


def cached(key: tuple, compute: Callable[[], object]):
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[1] > now:
        return hit[0]
    if len(_cache) >= MAX_ENTRIES:
        _cache.clear()
    value = compute()
    _cache[key] = (value, now + TTL)
    return value
