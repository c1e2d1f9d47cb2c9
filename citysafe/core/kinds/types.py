"""Field types of request and response schemas, shared by every record kind.

Input types are strict and bounded so that no value can reach the database in a form it
rejects or in a form nobody meant: ids and counts are JSON integers (`true` and "5" are
refused, not read as 1 and 5), coordinates are JSON numbers (integers allowed, never strings,
booleans, NaN or infinity), text holds no control, bidi-override or zero-width characters
(core.validation.check_text's rule), integers stay inside the column range. Each becomes a
422 naming the field. Query and path parameters arrive as text by nature, so they use the
lax `IdParam`. Choice fields are published as enums with their Chinese labels.
"""
from typing import Annotated, Any, Literal, Optional

from ninja import Field
from pydantic import AfterValidator, Strict, WithJsonSchema
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


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def omittable():
    """Default of a PATCH field whose column is NOT NULL: it may be left out (nothing
    changes), but null is refused with a 422 naming the field."""
    return Field(None, json_schema_extra=_no_default)


def _varname(value: str) -> str:
    # A name generated clients can use: "-name" (descending) → DESC_NAME; a number (an
    # IntegerChoices value such as a risk level) → VALUE_1.
    name = value.upper().replace("-", "DESC_")
    return name if name.isidentifier() else f"VALUE_{name}"


def _enum_schema(choices, base: dict) -> dict:
    values = [str(v) for v, _label in choices]
    labels = [str(label) for _v, label in choices]
    return {**base, "enum": values,
            "x-enum-varnames": [_varname(v) for v in values],
            "x-enum-descriptions": labels,
            "description": "；".join(f"{v}：{label}" for v, label in zip(values, labels, strict=True))}


def choice_in(choices):
    """An input choice field: one of the values, validated; published as an enum with labels."""
    values = tuple(str(v) for v, _label in choices)
    return Annotated[Literal[values], WithJsonSchema(_enum_schema(choices, {"type": "string"}))]


def choice_out(choices):
    """A response choice field: published as an enum with labels. Not validated on output, so
    a value stored before a choice was retired is still answered, not turned into a 500."""
    return Annotated[str, WithJsonSchema(_enum_schema(choices, {"type": "string"}))]
