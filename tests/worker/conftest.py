import pytest

from tests.worker.queues import use_backend


@pytest.fixture(params=["database", "redis"])
def task_backend(request, monkeypatch, tmp_path_factory):
    """Run the test once on each task backend (a real redis-server for "redis")."""
    with use_backend(request.param, monkeypatch, tmp_path_factory.mktemp("redis")):
        yield request.param
