"""API shapes of data sharing, with the examples the OpenAPI document shows."""
from datetime import datetime
from typing import Any, Literal, Optional

from ninja import Schema
from pydantic import Field

from citysafe.core.kinds.types import Id
from citysafe.sharing.webhooks.events import EVENT_NAMES

EventName = Literal[EVENT_NAMES]  # type: ignore[valid-type]


def _examples(*items) -> dict:
    return {"json_schema_extra": {"examples": list(items)}}


class ChangeItem(Schema):
    cursor: int = Field(..., description="审计记录编号；按此递增")
    op: Literal["upsert", "delete"]
    id: int
    record: Optional[dict[str, Any]] = Field(None, description="upsert：该资源接口的完整表示；delete：null")


class ChangePage(Schema):
    resource: str
    items: list[ChangeItem]
    next_cursor: int = Field(..., description="下次请求的 cursor")
    has_more: bool

    model_config = _examples({"resource": "enterprises", "next_cursor": 1234, "has_more": False, "items": [
        {"cursor": 1230, "op": "upsert", "id": 17, "record": {"id": 17, "name": "某某化工有限公司", "version": 4}},
        {"cursor": 1234, "op": "delete", "id": 9, "record": None}]})


class SnapshotPage(Schema):
    resource: str
    cursor: int = Field(..., description="首页给出的 cursor：快照读完后从这里开始读变更")
    items: list[dict[str, Any]]
    next_after_id: Optional[int] = Field(None, description="下一页的 after_id；null 表示已读完")

    model_config = _examples({"resource": "enterprises", "cursor": 1200, "next_after_id": 500,
                              "items": [{"id": 1, "name": "某某化工有限公司", "version": 3}]})


class ResourceOut(Schema):
    key: str
    label: str


class FeedIndex(Schema):
    cursor: int = Field(..., description="当前最新的游标")
    resources: list[ResourceOut]

    model_config = _examples({"cursor": 1234, "resources": [{"key": "enterprises", "label": "registry.Enterprise"}]})


class SubscriptionIn(Schema):
    name: str = Field(..., max_length=100)
    url: str = Field(..., max_length=500)
    events: list[EventName]
    area_id: Optional[Id] = Field(None, description="县或乡镇的区域编号；空表示本人数据范围内全部")
    active: bool = True

    model_config = _examples({"name": "市应急指挥平台", "url": "https://city.example.gov.cn/citysafe/events",
                              "events": ["hazard.registered", "alarm.raised"], "area_id": None, "active": True})


class SubscriptionPatch(Schema):
    name: Optional[str] = Field(None, max_length=100)
    url: Optional[str] = Field(None, max_length=500)
    events: Optional[list[EventName]] = None
    area_id: Optional[Id] = None
    active: Optional[bool] = None

    model_config = _examples({"active": False})


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    area_id: Optional[int]
    active: bool
    created_at: datetime

    model_config = _examples({"id": 3, "name": "市应急指挥平台", "url": "https://city.example.gov.cn/citysafe/events",
                              "events": ["hazard.registered"], "area_id": None, "active": True,
                              "created_at": "2026-11-30T09:00:00+08:00"})


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(..., description="签名密钥：只在创建（或更换）时返回一次，请妥善保存")


class SecretOut(Schema):
    secret: str


class DeliveryOut(Schema):
    id: int
    event: str
    audit_id: int
    ordering_key: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: Optional[int]
    last_error: str
    created_at: datetime
    delivered_at: Optional[datetime]

    model_config = _examples({"id": 88, "event": "hazard.closed", "audit_id": 1250, "ordering_key": "hazards:42",
                              "status": "delivered", "attempts": 2, "next_attempt_at": "2026-11-30T09:01:00+08:00",
                              "last_status_code": 200, "last_error": "", "created_at": "2026-11-30T09:00:10+08:00",
                              "delivered_at": "2026-11-30T09:01:02+08:00"})


class ExportIn(Schema):
    resource: str = Field(..., description="可导出的记录类型，如 enterprises")
    format: Literal["xlsx", "geojson"] = "xlsx"
    q: str = Field("", max_length=200)
    filters: dict[str, str] = Field(default_factory=dict)
    ordering: str = "id"
    geometry_type: str = ""

    model_config = _examples({"resource": "enterprises", "format": "xlsx", "filters": {"township": "3"}})


class JobOut(Schema):
    id: int
    direction: str
    resource: str
    file_format: str
    status: str = Field(..., description="queued / running / succeeded / failed")
    total_rows: int
    done_rows: int
    error_count: int
    created: int
    updated: int
    message: str
    has_file: bool = Field(..., description="有结果文件（导出文件或导入错误报告）可下载")
    created_at: datetime
    finished_at: Optional[datetime]

    model_config = _examples({"id": 12, "direction": "import", "resource": "enterprises", "file_format": "xlsx",
                              "status": "failed", "total_rows": 120, "done_rows": 120, "error_count": 2,
                              "created": 0, "updated": 0, "message": "有2处错误，未导入任何数据", "has_file": True,
                              "created_at": "2026-11-30T09:00:00+08:00", "finished_at": "2026-11-30T09:00:05+08:00"})

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.result)
