"""The REST API under /api/v1: mounts every app's router."""
from ninja import NinjaAPI

api = NinjaAPI(
    title="CitySafe API",
    version="1",
    description="城市安全风险管理平台 开放接口",
    urls_namespace="api-v1",
)
