"""Full-text search of articles in Chinese: jieba segmentation (segment.py), a query language
(query.py: words, "phrases", synonyms), one index interface with two back-ends chosen by the
database in use or KNOWLEDGE_SEARCH_BACKEND (backends.py: SQLite FTS5/BM25, PostgreSQL
tsvector/ts_rank_cd), and highlighted snippets (highlight.py)."""
