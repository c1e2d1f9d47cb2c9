"""Risk records for the four-colour map tests, made through the risks services (assessments go
through the review workflow: an admin drafts and submits, a second admin accepts)."""
import gzip
import json

from django.test import Client

from citysafe.accounts.models import User
from citysafe.core.roles import Role
from citysafe.registry.models import Enterprise
from citysafe.risks import services
from citysafe.risks.models import RiskPoint


def reviewer() -> User:
    user, _created = User.objects.get_or_create(username="admin_reviewer", defaults={
        "role": Role.ADMIN, "organisation": User.objects.get(username="admin").organisation})
    return user


def point_for(world, enterprise: Enterprise, name: str, **extra) -> RiskPoint:
    return services.create_risk_point(world.admin, {"name": name, "enterprise_id": enterprise.pk, **extra})


def grade(world, point: RiskPoint, level: int) -> RiskPoint:
    """A direct grading at `level`, submitted and accepted (only then does the point change)."""
    draft = services.create_assessment(world.admin, {"risk_point_id": point.pk, "method": "direct", "level": level,
                                                     "reason": "测试判定"})
    submitted = services.transition_assessment(world.admin, draft.pk, "submit", expected_version=draft.version)
    services.transition_assessment(reviewer(), draft.pk, "accept", expected_version=submitted.version)
    return RiskPoint.objects.get(pk=point.pk)


def fetch(user, url, **params):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, body


def layer(user, name, **params):
    response, body = fetch(user, f"/risk-map/layers/{name}.geojson", **params)
    return response, (json.loads(body) if response["Content-Type"].startswith(("application/geo+json",
                                                                             "application/json")) else None)


def ids(collection) -> set:
    return {feature["id"] for feature in collection["features"]}
