"""Request and response shapes of the registry API.

Input types are strict and bounded so that no value can reach the database in a form it
rejects or in a form nobody meant: ids and counts are JSON integers (`true` and "5" are
refused, not read as 1 and 5), coordinates are JSON numbers (integers allowed, never strings,
booleans, NaN or infinity), text holds no control, bidi-override or zero-width characters
(core.validation.check_text's rule), integers stay inside the column range. Each becomes a
422 naming the field. Query and path parameters arrive as text by nature, so they use the
lax `IdParam`. Business rules, and these same rules for every other path, stay in the services.
"""
from datetime import datetime
from typing import Annotated, Any, Optional

from ninja import Field, Schema
from pydantic import Strict, create_model

from citysafe.core import masking, scope
from citysafe.core.schema_types import (  # the platform's strict input types (see there)
    MAX_COUNT,
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
from citysafe.registry.selectors import LISTS

# ---- lists -------------------------------------------------------------------------

class ListQuery(Schema):
    q: Text = Field("", description="搜索关键字")
    ordering: Text = Field("id", description="排序字段，前加“-”为倒序")
    include_archived: bool = Field(False, description="包含已归档记录（仅管理员）")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def filter_schema(resource: str, class_name: str) -> type[ListQuery]:
    """Query parameters of one list, generated from the selector's filter list so the two
    cannot drift apart."""
    fields = {
        name: (Optional[IdParam] if name.endswith("_id") else Optional[Text], None)
        for name in sorted(LISTS[resource]["filters"])
    }
    return create_model(class_name, __base__=ListQuery, **fields)


def page_schema(item: type[Schema], class_name: str) -> type[Schema]:
    return create_model(class_name, __base__=Schema, count=(int, ...), items=(list[item], ...))


class RecordOut(Schema):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: Optional[datetime] = None


def _name(related, context) -> str:
    """A related record's name, only where the viewer may see that record (core.scope): a
    place owned by an enterprise in another township does not name it. No queries: the
    related rows are select_related by the selectors and the viewer's scope keys are cached."""
    user = context["request"].auth if context else None
    return related.name if related is not None and scope.may_read_related(user, related) else ""


# ---- enterprises -------------------------------------------------------------------

class EnterpriseOut(RecordOut):
    name: str
    uscc: str
    industry_id: int
    industry_name: str
    scale: str
    address: str
    lon: float
    lat: float
    township_id: int
    township_name: str
    village_id: Optional[int]
    grid_id: Optional[int]
    grid_name: str
    supervising_department_id: Optional[int]
    supervising_department_name: str
    legal_representative: str
    safety_officer_id: Optional[int]
    standardisation_grade: str
    operating_status: str
    due_at: Optional[datetime] = Field(None, description="deadline of the current operating status "
                                                          "(a suspension's rectification deadline), if any")
    version: int

    @staticmethod
    def resolve_industry_name(obj, context):
        return _name(obj.industry, context)

    @staticmethod
    def resolve_township_name(obj, context):
        return _name(obj.township, context)

    @staticmethod
    def resolve_grid_name(obj, context):
        return _name(obj.grid, context)

    @staticmethod
    def resolve_supervising_department_name(obj, context):
        return _name(obj.supervising_department, context)


class EnterpriseUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    uscc: Optional[Text] = None
    industry_id: Optional[Id] = None
    scale: Optional[Text] = None
    address: Optional[Text] = None
    lon: Optional[Coordinate] = None
    lat: Optional[Coordinate] = None
    township_id: Optional[Id] = None
    grid_id: Optional[Id] = None
    supervising_department_id: Optional[Id] = None
    legal_representative: Optional[Text] = None
    safety_officer_id: Optional[Id] = None
    standardisation_grade: Optional[Text] = None


class EnterpriseCreate(EnterpriseUpdate):
    version: NotOnCreate = None
    name: Text
    uscc: Text
    industry_id: Id
    lon: Coordinate
    lat: Coordinate


class TransitionIn(Schema):
    transition: Text = Field(..., description="suspend / resume / start_relocation / finish_relocation / close")
    expected_version: Annotated[int, Strict(), Field(ge=1, le=MAX_COUNT)] = Field(
        ..., description="the `version` read with the record (required; a stale one is a 409)")
    note: MultilineText = ""
    payload: dict[str, Any] = Field(default_factory=dict, description="suspend: {\"deadline\": \"YYYY-MM-DD\"}")
    changes: dict[str, Any] = Field(default_factory=dict, description="finish_relocation: {\"address\": \"新地址\"}")
    attachments: list[Id] = Field(default_factory=list, max_length=20,
                                  description="ids of attachments uploaded to this enterprise (POST /attachments)")


# ---- places ------------------------------------------------------------------------

class PlaceOut(RecordOut):
    name: str
    place_type: str
    geometry: GeoJSON = Field(..., description="GeoJSON 几何对象（WGS84 经纬度）")
    lon: float
    lat: float
    address: str
    capacity: Optional[int]
    people_present: Optional[int]
    owner_enterprise_id: Optional[int]
    owner_enterprise_name: str
    industry_id: Optional[int]
    industry_name: str
    township_id: int
    township_name: str
    village_id: Optional[int]
    grid_id: Optional[int]
    grid_name: str
    supervising_department_id: Optional[int]

    @staticmethod
    def resolve_owner_enterprise_name(obj, context):
        return _name(obj.owner_enterprise, context)

    @staticmethod
    def resolve_industry_name(obj, context):
        return _name(obj.industry, context)

    @staticmethod
    def resolve_township_name(obj, context):
        return _name(obj.township, context)

    @staticmethod
    def resolve_grid_name(obj, context):
        return _name(obj.grid, context)


class PlaceDetail(PlaceOut):
    responsible_person_ids: list[int]

    @staticmethod
    def resolve_responsible_person_ids(obj):
        return sorted(p.pk for p in obj.responsible_persons.all())


class PlaceUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    place_type: Optional[Text] = None
    geometry: Optional[GeoJSON] = None
    address: Optional[Text] = None
    capacity: Optional[Count] = None
    people_present: Optional[Count] = None
    owner_enterprise_id: Optional[Id] = None
    industry_id: Optional[Id] = None
    township_id: Optional[Id] = None
    grid_id: Optional[Id] = None
    supervising_department_id: Optional[Id] = None
    responsible_person_ids: Optional[list[Id]] = None


class PlaceCreate(PlaceUpdate):
    version: NotOnCreate = None
    name: Text
    place_type: Text
    geometry: GeoJSON


# ---- persons -----------------------------------------------------------------------

class PersonOut(RecordOut):
    name: str
    phone: str
    id_number: str = Field(..., description="列表中脱敏；详情中仅对可修改人员的角色显示完整号码")
    title: str
    organisation_id: Optional[int]
    enterprise_id: Optional[int]
    township_id: Optional[int]
    grid_id: Optional[int]

    @staticmethod
    def resolve_id_number(obj):
        return masking.id_number_for(None, obj.id_number, listing=True)


class PersonDetail(PersonOut):
    @staticmethod
    def resolve_id_number(obj, context):
        return masking.id_number_for(context["request"].auth, obj.id_number)


class PersonUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    phone: Optional[Text] = None
    id_number: Optional[Text] = None
    title: Optional[Text] = None
    organisation_id: Optional[Id] = None
    enterprise_id: Optional[Id] = None
    township_id: Optional[Id] = None
    grid_id: Optional[Id] = None


class PersonCreate(PersonUpdate):
    version: NotOnCreate = None
    name: Text
    phone: Text


# ---- areas, industries, organisations ----------------------------------------------

class AreaOut(RecordOut):
    code: str
    name: str
    level: str
    parent_id: Optional[int]
    township_id: Optional[int]
    geometry: Optional[GeoJSON] = Field(None, description="GeoJSON 边界")
    population: Optional[int]


class AreaUpdate(Schema):
    version: Version
    code: Optional[Text] = None
    name: Optional[Text] = None
    level: Optional[Text] = None
    parent_id: Optional[Id] = None
    geometry: Optional[GeoJSON] = None
    population: Optional[Count] = None


class AreaCreate(AreaUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    level: Text


class IndustryOut(RecordOut):
    code: str
    name: str
    description: str


class IndustryUpdate(Schema):
    version: Version
    code: Optional[Text] = None
    name: Optional[Text] = None
    description: Optional[MultilineText] = None


class IndustryCreate(IndustryUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text


class OrganisationOut(RecordOut):
    kind: str
    code: str
    name: str
    area_id: Optional[int]
    industry_ids: list[int] = Field(..., description="监管行业（管行业必须管安全）")
    first_responsible_id: Optional[int]
    direct_responsible_id: Optional[int]
    phone: str

    @staticmethod
    def resolve_industry_ids(obj):
        return sorted(i.pk for i in obj.industries.all())


class OrganisationUpdate(Schema):
    version: Version
    kind: Optional[Text] = None
    code: Optional[Text] = None
    name: Optional[Text] = None
    area_id: Optional[Id] = None
    industry_ids: Optional[list[Id]] = None
    first_responsible_id: Optional[Id] = None
    direct_responsible_id: Optional[Id] = None
    phone: Optional[Text] = None


class OrganisationCreate(OrganisationUpdate):
    version: NotOnCreate = None
    kind: Text
    code: Text
    name: Text
