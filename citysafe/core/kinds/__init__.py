"""Record kinds: one declaration per kind of record (`RecordKind`), from which core builds
the selectors, the REST router, the pages, the import/export wiring and the scope-matrix
test cases. See docs/architecture.md, "How to add a record kind"."""
from citysafe.core.kinds.declaration import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.registry import (
           all_kinds,
           get_kind,
           kind_for_model,
           kinds_of,
           register,
)
from citysafe.core.kinds.selectors import BadQuery

__all__ = [
           "BadQuery",
           "Column",
           "Filter",
           "RecordKind",
           "all_kinds",
           "fixed",
           "get_kind",
           "kind_for_model",
           "kinds_of",
           "register",
]
