"""Strict input types and the error body of the JSON API, shared by every app's schemas.

Ids and counts are JSON integers (`true` and "5" are refused, not read as 1 and 5),
coordinates are JSON numbers (never strings, booleans, NaN or infinity), text holds no
control, bidi-override or zero-width characters (core.validation.check_text's rule), integers
stay inside the column range. Each becomes a 422 naming the field. Query and path parameters
arrive as text by nature, so they use the lax `IdParam`.
"""
from typing import Annotated, Any, Optional

from ninja import Field, Schema
from pydantic import AfterValidator, Strict
from pydantic.json_schema import SkipJsonSchema

from citysafe.core.validation import text_message, text_problem

MAX_ID = 2**63 - 1
MAX_COUNT = 2**31 - 1  # PositiveIntegerField on PostgreSQL


def _clean_text(value: str) -> str:
    # Checked as the service will store it (trimmed); a trailing line break is not an error.
    problem = text_problem(value.strip())
    if problem:
        raise ValueError(text_message(problem))
    return value


def _clean_multiline_text(value: str) -> str:
    problem = text_problem(value.strip(), multiline=True)
    if problem:
        raise ValueError(text_message(problem))
    return value


Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
IdParam = Annotated[int, Field(ge=1, le=MAX_ID)]  # query strings and paths: digits as text
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_COUNT)]
Text = Annotated[str, AfterValidator(_clean_text)]
MultilineText = Annotated[str, AfterValidator(_clean_multiline_text)]  # descriptions, notes
Coordinate = Annotated[float, Strict(), Field(allow_inf_nan=False)]
# Structure (members, nesting, numbers, closed rings, vertex limit) is checked by the services
# through core.validation.check_geometry, so pages and imports get the same rules and codes.
GeoJSON = dict[str, Any]
# Optimistic concurrency (core.concurrency): a PATCH names the version it was made on and
# gets 409 if the record has moved on. Create bodies inherit the update fields; there the
# version is neither documented nor used.
Version = Annotated[int, Field(ge=1, le=MAX_COUNT, description="读取记录时的版本号（version）；记录已被他人修改时返回409")]
NotOnCreate = SkipJsonSchema[Optional[int]]


class ErrorOut(Schema):
    detail: Any
