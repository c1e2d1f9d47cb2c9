import pytest

from tests.api.conftest import Api


@pytest.fixture
def api_as():
    return lambda user: Api(user=user)
