"""Benchmark: knowledge search over 100,000 articles — our index (jieba tokens in SQLite FTS5,
BM25, the app's query compiler with synonyms) side by side with SQLite FTS5 `trigram` and a
plain LIKE scan, on the same data in the same run, with their recall on the same query set
(the 33 queries of citysafe/knowledge/tests/test_search_quality.py).

Data: the 1,863 articles of the 27 shipped laws, plus variants of each up to --articles: the
article's sentences rotated, sometimes one sentence of another article of the same law added,
under one of 50 county names in the title ("某某县安全生产法实施办法"). A variant belongs to
its article: a query is recalled when one of the first three results is the expected article
or one of its variants. Variants are segmented from cached sentence tokens (jieba once per
sentence), so building the data takes about a minute, not jieba over 20 million characters.

    .venv/bin/python bench/bench_knowledge_search.py            # --articles 100000 --repeat 5

Printed: build time, and for each engine p50/p99 latency per query (ms, wall clock), the p50 of
the CPU time the process spent on a query (steadier than the wall clock when other processes
share the machine) and recall@3: ours as it was before (the baseline, same run), ours, FTS5
trigram and LIKE.
"""
import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_knowledge_unused.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from citysafe.knowledge.classify import short_title_of  # noqa: E402
from citysafe.knowledge.search import segment  # noqa: E402
from citysafe.knowledge.search.fts5 import fts5_ranked  # noqa: E402
from citysafe.knowledge.search.query import compile_query, loosened, to_fts5  # noqa: E402
from citysafe.knowledge.search.segment import index_text, index_tokens  # noqa: E402
from citysafe.knowledge.services.synonyms import SEED  # noqa: E402
from citysafe.knowledge.tests.test_search_quality import QUERIES  # noqa: E402
from kernels.law_text import split_markdown, split_plain_text  # noqa: E402

COUNTIES = [f"{a}{b}县" for a in "东西南北中上下新古长" for b in "安平和丰宁"]
_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
TOP = 3


def load_articles():
    """(group key "安全生产法 第四十一条", short title, text) for every shipped article."""
    rows = []
    for path in sorted(settings.KNOWLEDGE_LAWS_DIR.glob("*.md")):
        law = split_markdown(path.read_text(encoding="utf-8"))
        rows += [(f"{short_title_of(law.title)} {a.label}", short_title_of(law.title), a.text) for a in law.articles]
    for path in sorted(settings.KNOWLEDGE_SEED_DIR.glob("*.txt")):
        law = split_plain_text(path.read_text(encoding="utf-8"))
        rows += [(f"{short_title_of(law.title)} {a.label}", short_title_of(law.title), a.text) for a in law.articles]
    return rows


def build(articles, total: int, seed: int = 7):
    """Rows (group, title, text, body tokens, title tokens): the originals, then variants."""
    rng = random.Random(seed)
    sentence_tokens, title_tokens = {}, {}

    def tokens_of(sentence):
        if sentence not in sentence_tokens:
            sentence_tokens[sentence] = " ".join(index_tokens(sentence))
        return sentence_tokens[sentence]

    def title_of(title):
        if title not in title_tokens:
            title_tokens[title] = index_text(title)
        return title_tokens[title]

    rows = []
    for group, short, text in articles:
        rows.append((group, short, text, " ".join(tokens_of(s) for s in _SENTENCE.findall(text)), title_of(short)))
    while len(rows) < total:
        group, short, text = articles[len(rows) % len(articles)]
        sentences = _SENTENCE.findall(text) or [text]
        k = rng.randrange(len(sentences))
        sentences = sentences[k:] + sentences[:k]
        if len(sentences) > 2 and rng.random() < 0.5:
            del sentences[rng.randrange(len(sentences))]  # a shorter local version of the article
        title = f"{rng.choice(COUNTIES)}{short}实施办法"
        rows.append((group, title, "".join(sentences), " ".join(tokens_of(s) for s in sentences), title_of(title)))
    return rows


def create(rows) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE ours USING fts5(body, title, tokenize='unicode61')")
    db.execute("CREATE VIRTUAL TABLE tri USING fts5(body, title, tokenize='trigram')")
    db.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, body TEXT, title TEXT)")
    db.executemany("INSERT INTO ours (rowid, body, title) VALUES (?, ?, ?)",
                   ((i + 1, r[3], r[4]) for i, r in enumerate(rows)))
    db.executemany("INSERT INTO tri (rowid, body, title) VALUES (?, ?, ?)", ((i + 1, r[2], r[1]) for i, r in enumerate(rows)))
    db.executemany("INSERT INTO plain (id, body, title) VALUES (?, ?, ?)", ((i + 1, r[2], r[1]) for i, r in enumerate(rows)))
    # Merge each index's segments into one b-tree, as `manage.py optimize_knowledge_index` does
    # after a bulk load (FTS5 otherwise reads every segment left by the inserts).
    db.execute("INSERT INTO ours(ours) VALUES ('optimize')")
    db.execute("INSERT INTO tri(tri) VALUES ('optimize')")
    db.commit()
    return db


class Ours:
    """The app's path (search.fts5.fts5_ranked, the code the selector runs): compile (jieba,
    cached; synonyms), AND first, OR-loosened when too few, bm25 evaluated once per match."""

    def __init__(self, db, synonyms):
        self.db, self.synonyms = db, synonyms

    def fetch(self, sql, params):
        return self.db.execute(sql.replace("%s", "?"), params).fetchall()

    def accept(self, phrases):
        def literally(ids):
            texts = self.db.execute(f"SELECT id, body FROM plain WHERE id IN ({','.join('?' * len(ids))})", ids)  # noqa: S608
            return {i for i, text in texts if all(p in "".join(text.split()) for p in phrases)}
        return literally

    def ranked(self, compiled):
        return [i for i, _score in fts5_ranked(self.fetch, "ours", compiled, TOP,
                                               accept=self.accept(compiled.phrases) if compiled.phrases else None)]

    def __call__(self, query):
        compiled = compile_query(query, self.synonyms)
        found = self.ranked(compiled)
        if len(found) < TOP and (loose := loosened(compiled)) is not None:
            found += [i for i in self.ranked(loose) if i not in found]
        return found[:TOP]


def search_before(db, query, synonyms):
    """The path before (kept as the baseline, same run): bm25 computed twice per match
    (-bm25 selected, bm25 ordered), jieba on every query."""
    compiled = compile_query(query, synonyms)
    found = _ranked_before(db, compiled)
    if len(found) < TOP and (loose := loosened(compiled)) is not None:
        found += [i for i in _ranked_before(db, loose) if i not in found]
    return found[:TOP]


def _ranked_before(db, compiled):
    sql = "SELECT rowid FROM ours WHERE ours MATCH ? ORDER BY bm25(ours, 1.0, 0.4) LIMIT ? OFFSET ?"
    if not compiled.phrases:
        return [r[0] for r in db.execute(sql, (to_fts5(compiled), TOP, 0))]
    kept, offset, batch = [], 0, 50  # as the selector: candidates holding the phrase as written
    while len(kept) < TOP and offset < 20 * batch:
        ids = [r[0] for r in db.execute(sql, (to_fts5(compiled), batch, offset))]
        if not ids:
            break
        texts = dict(db.execute(f"SELECT id, body FROM plain WHERE id IN ({','.join('?' * len(ids))})", ids))  # noqa: S608
        kept += [i for i in ids if all(p in "".join(texts[i].split()) for p in compiled.phrases)]
        offset += batch
    return kept


def _terms(query):
    """What a user typed, as the other engines take it: quoted phrases and space-separated words."""
    phrases = re.findall(r'"([^"]+)"', query)
    return [*phrases, *re.sub(r'"[^"]+"', " ", query).split()]


def search_trigram(db, query):
    """FTS5 trigram: terms of three or more characters through MATCH (BM25); shorter ones cannot
    use the trigram index, so they become LIKE conditions on the matched rows (or a full scan)."""
    terms = _terms(query)
    long_terms = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    likes = "".join(" AND (body LIKE ? OR title LIKE ?)" for _ in short)
    like_args = [a for t in short for a in (f"%{t}%", f"%{t}%")]
    if long_terms:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        sql = f"SELECT rowid FROM tri WHERE tri MATCH ?{likes} ORDER BY bm25(tri, 1.0, 0.4) LIMIT ?"  # noqa: S608
        return [r[0] for r in db.execute(sql, [match, *like_args, TOP])]
    sql = f"SELECT rowid FROM tri WHERE 1{likes} LIMIT ?"  # noqa: S608
    return [r[0] for r in db.execute(sql, [*like_args, TOP])]


def search_like(db, query):
    """A plain LIKE scan: every term somewhere in the body or title, first rows found."""
    terms = _terms(query)
    where = " AND ".join("(body LIKE ? OR title LIKE ?)" for _ in terms)
    sql = f"SELECT id FROM plain WHERE {where} LIMIT ?"  # noqa: S608
    return [r[0] for r in db.execute(sql, [a for t in terms for a in (f"%{t}%", f"%{t}%")] + [TOP])]


def measure(name, run, rows, repeat, verbose=False):
    times, cpu, recalled = [], [], 0
    for query, expected in QUERIES:
        mine = []
        for attempt in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            found = run(query)
            mine.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if attempt == 0 and (hit := any(rows[i - 1][0] == expected for i in found)):
                recalled += 1
            if attempt == 0 and verbose:
                print(f"   {'+' if hit else '-'} {query:32} {[rows[i - 1][0] for i in found]}")
        times += mine
        if verbose:
            print(f"     {statistics.median(mine):.3f} ms")
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{name:30} p50 {statistics.median(times):7.3f} ms   p99 {p99:8.3f} ms   "
          f"CPU p50 {statistics.median(cpu):7.3f} ms   recall@{TOP} {recalled}/{len(QUERIES)} = {recalled / len(QUERIES):.0%}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="each query's results and time")
    args = parser.parse_args()
    start = time.perf_counter()
    articles = load_articles()
    rows = build(articles, args.articles)
    built = time.perf_counter() - start
    db = create(rows)
    print(f"{len(rows):,} articles ({len(articles):,} real); segmented in {built:.1f} s, "
          f"indexed in {time.perf_counter() - start - built:.1f} s; {len(QUERIES)} queries x {args.repeat}")
    synonyms = {}
    for term, expansion, _note in SEED:
        synonyms.setdefault(term, []).append(expansion)
    search_before(db, "预热", synonyms)  # jieba's dictionary loads once per process, not per query

    def before(query):
        segment.query_words.cache_clear()
        segment.pieces.cache_clear()
        return search_before(db, query, synonyms)
    measure("before (same run, baseline)", before, rows, args.repeat)
    measure("jieba + FTS5 BM25 (ours)", Ours(db, synonyms), rows, args.repeat, args.verbose)
    measure("FTS5 trigram (+LIKE < 3 chars)", lambda q: search_trigram(db, q), rows, args.repeat)
    measure("LIKE scan", lambda q: search_like(db, q), rows, args.repeat)


if __name__ == "__main__":
    main()
