import json

import pytest
from django.test import Client

from citysafe.accounts.services import create_api_token


class Api:
    """A JSON client for /api/v1 signed in as one user (session) or with a bearer token."""

    def __init__(self, user=None, token: str | None = None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.client.force_login(user)
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"

    def _url(self, path):
        return path if path.startswith("/") and path.startswith("/api/") else f"/api/v1/{path.lstrip('/')}"

    def get(self, path, **params):
        return self.client.get(self._url(path), params, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(self._url(path), json.dumps(data or {}), content_type="application/json",
                                headers=self.headers)

    def patch(self, path, data):
        return self.client.patch(self._url(path), json.dumps(data), content_type="application/json",
                                 headers=self.headers)

    def delete(self, path):
        return self.client.delete(self._url(path), headers=self.headers)


class EditingApi(Api):
    """A client that edits as a real one does: read the record, then PATCH with the version read.
    For tests about what a PATCH may change, not about concurrency (tests/security/test_concurrency.py)."""

    def patch(self, path, data):
        if "version" not in data:
            read = self.client.get(self._url(path), headers=self.headers)
            if read.status_code == 200:
                data = {**data, "version": read.json()["version"]}
            else:  # outside the caller's scope: the PATCH must answer as for any unknown record
                data = {**data, "version": 1}
        return super().patch(path, data)


@pytest.fixture
def api_as():
    return lambda user: Api(user=user)


@pytest.fixture
def token_for(world):
    """An API token for a service account with the same role and area as `user`."""

    def make(user, name="接入测试"):
        _, raw = create_api_token(
            world.admin, name=name, role=user.role, organisation_id=user.organisation_id,
            grid_ids=list(user.grids.values_list("pk", flat=True)), enterprise_id=user.enterprise_id,
        )
        return raw

    return make


def field_errors(response) -> dict[str, str]:
    """{field: rule} of a 422 body."""
    assert response.status_code == 422, response.content
    return {item["loc"][-1]: item["type"] for item in response.json()["detail"]}
