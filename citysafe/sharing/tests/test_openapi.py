"""Every data-sharing endpoint is in the OpenAPI document, and its bodies carry examples."""
from config.api import api

PATHS = {
    "/api/v1/changes": {"get"}, "/api/v1/changes/{resource}": {"get"}, "/api/v1/changes/{resource}/snapshot": {"get"},
    "/api/v1/webhooks": {"get", "post"}, "/api/v1/webhooks/{subscription_id}": {"get", "patch", "delete"},
    "/api/v1/webhooks/{subscription_id}/secret": {"post"}, "/api/v1/webhooks/{subscription_id}/deliveries": {"get"},
    "/api/v1/data-jobs": {"get"}, "/api/v1/data-jobs/imports": {"post"}, "/api/v1/data-jobs/exports": {"post"},
    "/api/v1/data-jobs/{job_id}": {"get"}, "/api/v1/data-jobs/{job_id}/file": {"get"},
}


def test_every_sharing_endpoint_is_documented_with_examples_of_its_bodies():
    document = api.get_openapi_schema()
    assert {path: set(document["paths"].get(path, {})) for path in PATHS} == PATHS
    schemas = document["components"]["schemas"]
    for name in ("FeedIndex", "ChangePage", "SnapshotPage", "SubscriptionIn", "SubscriptionOut", "DeliveryOut",
                 "ExportIn", "JobOut"):
        assert schemas[name].get("examples"), name
