"""The hazards landing page renders for every role (its links name real URLs)."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["admin", "leader", "department", "township", "grid", "enterprise"])
def test_the_hazards_landing_page_renders_for_every_role(client, world, role):
    client.force_login(world.role_users()[role])
    response = client.get("/hazards/")
    assert response.status_code == 200
    assert "/hazards/hazards/new/" in response.text
