"""API shapes of warnings."""
from datetime import datetime
from typing import Annotated, Optional

from ninja import Schema
from pydantic import Field, Strict

from citysafe.core import keyset
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import (
    Coordinate,
    GeoJSON,
    Id,
    MultilineText,
    NotOnCreate,
    Text,
    Version,
    choice_in,
    choice_out,
)
from citysafe.early_warning.models import AreaKind, MessageType, Warning, WarningType

LevelIn = Annotated[int, Strict(), Field(ge=1, le=4, description="1 一级（红色）… 4 四级（蓝色）")]


class WarningOut(Schema):
    id: int
    version: int
    status: choice_out(Warning.Status.choices)
    warning_type: choice_out(WarningType.choices)
    level: int = Field(description="1 一级（红色）… 4 四级（蓝色）")
    msg_type: choice_out(MessageType.choices)
    headline: str
    onset: datetime
    effective: datetime
    expires: datetime
    area_kind: choice_out(AreaKind.choices)
    issuing_department_id: int
    issuing_department_name: str
    previous_id: Optional[int]
    root_id: Optional[int]
    revision: int
    identifier: str
    sent_at: Optional[datetime]


class WarningDetail(WarningOut):
    description: str
    instructions: str
    headline_en: str
    description_en: str
    instructions_en: str
    area_description: str
    geometry: Optional[GeoJSON]
    circle_lon: Optional[float]
    circle_lat: Optional[float]
    circle_radius_km: Optional[float]
    area_ids: list[int]
    township_ids: list[int]
    source: str

    @staticmethod
    def resolve_area_ids(obj):
        return sorted(a.pk for a in obj.areas.all())

    @staticmethod
    def resolve_township_ids(obj):
        return sorted(a.pk for a in obj.townships.all())


class _WarningUpdate(Schema):
    version: Version
    warning_type: Optional[choice_in(WarningType.choices)] = None
    level: Optional[LevelIn] = None
    headline: Optional[Text] = None
    description: Optional[MultilineText] = None
    instructions: Optional[MultilineText] = None
    headline_en: Optional[Text] = None
    description_en: Optional[MultilineText] = None
    instructions_en: Optional[MultilineText] = None
    onset: Optional[datetime] = None
    effective: Optional[datetime] = None
    expires: Optional[datetime] = None
    area_kind: Optional[choice_in(AreaKind.choices)] = None
    area_description: Optional[Text] = None
    geometry: Optional[GeoJSON] = None
    circle_lon: Optional[Coordinate] = None
    circle_lat: Optional[Coordinate] = None
    circle_radius_km: Optional[Coordinate] = None
    areas: Optional[list[Id]] = None
    issuing_department_id: Optional[Id] = None


WarningUpdate = patch_schema(_WarningUpdate, Warning)


class WarningCreate(WarningUpdate):
    version: NotOnCreate = None
    warning_type: choice_in(WarningType.choices)
    level: LevelIn
    headline: Text
    description: MultilineText
    onset: datetime
    effective: datetime
    expires: datetime


class TransitionIn(Schema):
    name: str = Field(description="submit, pass_review, return_to_draft, approve, publish")
    version: Version
    note: MultilineText = ""


class RevisionIn(Schema):
    msg_type: choice_in([("Update", "更新"), ("Cancel", "解除")])


class VersionOut(Schema):
    id: int
    revision: int
    msg_type: str
    status: str
    identifier: str
    sent_at: Optional[datetime]
    previous_id: Optional[int]


class DeliveryCounts(Schema):
    total: int
    sent: int
    delivered: int
    acknowledged: int
    failed: int
    pending: int
    label: Optional[str] = None


class DeliveryDashboardOut(Schema):
    by_channel: dict[str, DeliveryCounts]
    by_area: dict[str, DeliveryCounts]


class SubscriptionOut(Schema):
    id: int
    channel: str
    address: str
    lon: Optional[float]
    lat: Optional[float]
    confirmed_at: Optional[datetime]
    cancelled_at: Optional[datetime]
    created_at: datetime


class SubscriptionQuery(Schema):
    confirmed: Optional[bool] = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    offset: Annotated[int, Field(ge=0, le=2**31 - 1, description=keyset.OFFSET_HELP)] = 0
    cursor: Annotated[str, Field(max_length=2000, description=keyset.CURSOR_HELP)] = ""
