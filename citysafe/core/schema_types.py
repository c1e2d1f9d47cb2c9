"""Strict input types and the error body of the JSON API, for apps' own (non-kind) schemas.

One definition each: the types live in core.kinds.types, the error body in core.kinds.schemas;
this module only names them for schemas outside a record kind (accounts' tokens, /me).
"""
from citysafe.core.kinds.schemas import ErrorItem, ErrorOut
from citysafe.core.kinds.types import (
    MAX_COUNT,
    MAX_ID,
    Coordinate,
    Count,
    GeoJSON,
    Id,
    IdParam,
    MultilineText,
    NotOnCreate,
    Text,
    Version,
)

__all__ = ["MAX_COUNT", "MAX_ID", "Coordinate", "Count", "ErrorItem", "ErrorOut", "GeoJSON", "Id", "IdParam",
           "MultilineText", "NotOnCreate", "Text", "Version"]
