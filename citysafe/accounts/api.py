"""/api/v1/me and /api/v1/tokens (admin): who am I, and tokens for other systems."""
from datetime import datetime
from typing import Optional

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, field_validator

from citysafe.accounts import services
from citysafe.core.schema_types import ErrorOut, Id, Text

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

me_router = Router(tags=["me"])
tokens_router = Router(tags=["tokens"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    organisation_id: Optional[int]
    organisation_name: str
    grid_ids: list[int]
    enterprise_id: Optional[int]
    is_service_account: bool

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name if obj.organisation_id else ""

    @staticmethod
    def resolve_grid_ids(obj):
        return sorted(obj.grids.values_list("pk", flat=True))


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    username: str = Field(..., alias="user.username")
    role: str = Field(..., alias="user.role")
    created_at: datetime
    expires_at: Optional[datetime]
    revoked_at: Optional[datetime]
    last_used_at: Optional[datetime]
    is_active: bool


class TokenCreated(TokenOut):
    token: str = Field(..., description="完整令牌，仅此一次显示，请妥善保存")


class TokenIn(Schema):
    name: Text
    role: Text
    organisation_id: Optional[Id] = None
    grid_ids: list[Id] = []
    enterprise_id: Optional[Id] = None
    expires_at: Optional[AwareDatetime] = Field(None, description="带时区的过期时间，留空为长期有效")

    @field_validator("expires_at")
    @classmethod
    def _storable(cls, value):
        # Far-future values overflow when converted to UTC; a token for centuries is meaningless.
        if value is not None and value.year > 2999:
            raise ValueError(_("过期时间过远"))
        return value


@me_router.get("", response={200: MeOut, 401: ErrorOut}, operation_id="get_me")
def get_me(request):
    return request.auth


@tokens_router.get("", response={200: list[TokenOut], **ERRORS}, operation_id="list_tokens")
def list_tokens(request):
    return list(services.list_api_tokens(request.auth))


@tokens_router.post("", response={201: TokenCreated, **ERRORS}, operation_id="create_token")
def create_token(request, payload: TokenIn):
    token, raw = services.create_api_token(request.auth, **payload.model_dump())
    token.token = raw
    return Status(201, token)


@tokens_router.delete("/{int:token_id}", response={204: None, **ERRORS}, operation_id="revoke_token")
def revoke_token(request, token_id: Id):
    services.revoke_api_token(request.auth, token_id)
    return Status(204, None)


