"""Generated API schemas of a record kind: list query (filters typed from the model, choice
fields and ordering as enums), page (count, next, items), PATCH bodies whose NOT NULL fields
may be omitted but not nulled, and the one error model of every 4xx answer."""
from typing import Optional, Union, get_args, get_origin

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey
from ninja import Field, Schema
from ninja.schema import Resolver
from pydantic import create_model

from citysafe.core import keyset, scope
from citysafe.core.kinds.types import IdParam, Text, choice_in, omittable


class ListQuery(Schema):
    q: Text = Field("", description="搜索关键字")
    include_archived: bool = Field(False, description="包含已归档记录（仅管理员）")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9, description=keyset.OFFSET_HELP)
    cursor: str = Field("", max_length=2000, description=keyset.CURSOR_HELP)


def _filter_type(model, name: str):
    if name.endswith("_id"):
        return IdParam
    field = model._meta.get_field(name)
    return choice_in(field.flatchoices) if field.choices else Text


def filter_schema(kind) -> type[ListQuery]:
    """Query parameters of one list, generated from the kind's declaration so the two cannot
    drift apart: ids as integers, choice fields as enums (an unknown value is a 422)."""
    orderings = [(key, key) for key in sorted(kind.ordering)] + [(f"-{key}", f"{key}（倒序）")
                                                                 for key in sorted(kind.ordering)]
    fields = {name: (Optional[_filter_type(kind.model, name)], None) for name in sorted(kind.filters)}
    fields["ordering"] = (choice_in(orderings), Field("id", description="排序字段，前加“-”为倒序"))
    return create_model(f"{kind.singular}ListQuery", __base__=ListQuery, **fields)


def page_schema(kind) -> type[Schema]:
    return create_model(
        f"{kind.singular}Page", __base__=Schema,
        count=(int, Field(..., description="符合条件的记录总数")),
        next=(Optional[str], Field(..., description="下一页的地址（带 cursor 游标）；最后一页为null")),
        items=(list[kind.item], ...),
    )


def model_field(model, name: str):
    """The model field a request field sets: `x`, `x_id` (foreign key), `x_ids` (many-to-many `xs`/`xies`)."""
    stem = name.removesuffix("_ids")
    for candidate in (name, name.removesuffix("_id"), stem + "s", stem[:-1] + "ies" if stem.endswith("y") else stem):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _without_none(annotation):
    if get_origin(annotation) is Union:
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007 (built from a tuple at run time)
    return annotation


def patch_schema(schema: type[Schema], model) -> type[Schema]:
    """`schema` with every optional field whose column is NOT NULL (or a many-to-many list)
    turned into "may be omitted, never null": null then gets a 422 naming the field instead of
    a database error, and the OpenAPI document says what the server accepts."""
    fields = {}
    for name, info in schema.model_fields.items():
        field = model_field(model, name)
        if field is None or info.is_required() or getattr(field, "null", False) and not field.many_to_many:
            continue
        fields[name] = (_without_none(info.annotation), omittable())
    return create_model(schema.__name__.lstrip("_"), __base__=schema, __module__=schema.__module__, **fields)


class ErrorItem(Schema):
    loc: list[str] = Field(..., description="出错的位置，如 [\"body\", \"name\"]、[\"query\", \"scale\"]")
    msg: str = Field(..., description="中文说明")
    type: str = Field(..., description="规则名称，如 missing、not_found、forbidden、conflict")


class ErrorOut(Schema):
    detail: list[ErrorItem]


def _name_resolver(fk: str):
    def resolve(obj, context):
        related = getattr(obj, fk)
        user = context["request"].auth if context else None
        return related.name if related is not None and scope.may_read_related(user, related) else ""

    return Resolver(staticmethod(resolve))


def add_name_resolvers(schema: type[Schema], model) -> None:
    """Fill every `<fk>_name` field of a response schema with the related record's name, only
    where the viewer may see that record (core.scope.may_read_related); no queries, as the
    selectors select_related the kind's `related`. The list path does the same in SQL
    (core.kinds.listing)."""
    for name in schema.model_fields:
        if not name.endswith("_name") or name in schema._ninja_resolvers:
            continue
        try:
            field = model._meta.get_field(name.removesuffix("_name"))
        except FieldDoesNotExist:
            continue
        if isinstance(field, ForeignKey):
            schema._ninja_resolvers[name] = _name_resolver(field.name)
