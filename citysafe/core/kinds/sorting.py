"""Sortable column headers of the list page.

A column sorts when its `key` is one of the kind's declared `ordering` fields (the same keys
the API's `?ordering=` accepts). Clicking a header sorts ascending; clicking the sorted
column again toggles to descending. The link keeps the filters and search, and drops the page
(a new order starts on page 1).
"""
from django.http import QueryDict


def sort_headers(kind, query: QueryDict, ordering: str) -> list[dict]:
    """One dict per column: label, key, and for sortable ones the link query and direction
    ("asc"/"desc" when the list is sorted by it, else "")."""
    current, descending = ordering.lstrip("-"), ordering.startswith("-")
    headers = []
    for column in kind.columns:
        header = {"label": column.label, "key": column.key, "query": None, "direction": ""}
        if column.key and column.key in kind.ordering:
            if column.key == current:
                header["direction"] = "desc" if descending else "asc"
                target = column.key if descending else f"-{column.key}"
            else:
                target = column.key
            link = query.copy()
            link.pop("page", None)
            link["ordering"] = target
            header["query"] = link.urlencode()
        headers.append(header)
    return headers
