"""The optional read replica (issue 19, core.db): with a replica configured — here a TEST
MIRROR of the default database, as Django's test runner sets one up — the dashboard's and the
exports' reads run on the "replica" alias, and no write ever does."""
import warnings

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citysafe.core.audit_models import AuditRecord
from citysafe.core.db import read_alias, replica_reads
from citysafe.hazards.models import Hazard
from citysafe.registry.models import Enterprise

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def replica(world, settings):
    """DATABASES["replica"] as a test mirror of default: another connection to the same test
    database (it sees what the session seeded, not the test's own uncommitted rows). The
    wrapper is handed to the connection handler directly, as Django's test runner allows for
    connections made while a test runs."""
    config = {**connections["default"].settings_dict}
    config["TEST"] = {**config.get("TEST", {}), "MIRROR": "default"}
    with warnings.catch_warnings():  # "Overriding setting DATABASES…": only the new alias is added
        warnings.simplefilter("ignore")
        settings.DATABASES = {**settings.DATABASES, "replica": config}
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, "replica")
    connections["replica"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections["replica"]


def _sql(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def _writes(queries: list[str]) -> list[str]:
    return [q for q in queries if q.lstrip().upper().startswith(WRITES)]


def _run(replica, call):
    with CaptureQueriesContext(connections["default"]) as on_default, CaptureQueriesContext(replica) as on_replica:
        result = call()
    return result, _sql(on_default), _sql(on_replica)


def test_without_a_replica_heavy_reads_stay_on_the_default_database(world):
    assert read_alias() == "default"


def test_the_dashboard_reads_on_the_replica_and_writes_nothing_there(world, replica):
    assert read_alias() == "replica"
    client = Client()
    client.force_login(world.leader)
    response, on_default, on_replica = _run(replica, lambda: client.get(reverse("dashboard:data")))
    assert response.status_code == 200, response.content[:300]
    hazards = Hazard._meta.db_table
    assert any(hazards in q for q in on_replica), "the dashboard's counts did not run on the replica"
    assert not any(hazards in q for q in on_default), "a dashboard count ran on the primary"
    assert not _writes(on_replica)


def test_the_dashboards_hazard_layer_reads_on_the_replica(world, replica):
    client = Client()
    client.force_login(world.leader)
    response, on_default, on_replica = _run(replica, lambda: client.get(reverse("dashboard:hazards-geojson")))
    assert response.status_code == 200
    assert any(Hazard._meta.db_table in q for q in on_replica)
    assert not any(Hazard._meta.db_table in q for q in on_default)


@pytest.mark.parametrize("file_format", ["xlsx", "geojson"])
def test_an_export_reads_its_rows_on_the_replica_and_audits_on_the_primary(world, replica, file_format):
    client = Client()
    client.force_login(world.township_officer)
    url = reverse("io:export", args=["enterprises"]) + f"?format={file_format}"

    def download():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        return b"".join(response.streaming_content) if response.streaming else response.content

    body, on_default, on_replica = _run(replica, download)
    enterprises = Enterprise._meta.db_table
    assert any(enterprises in q and q.lstrip().upper().startswith("SELECT") for q in on_replica)
    assert not any(f'FROM "{enterprises}"' in q for q in on_default), "the export's rows were read on the primary"
    assert not _writes(on_replica)
    assert any(AuditRecord._meta.db_table in q for q in _writes(on_default)), "the export's audit record is missing"
    assert body


def test_a_record_read_on_the_replica_is_saved_on_the_primary(world, replica):
    with replica_reads(), CaptureQueriesContext(connections["default"]) as on_default, \
            CaptureQueriesContext(replica) as on_replica:
        enterprise = Enterprise.objects.get(pk=world.enterprise_in_a.pk)
        assert enterprise._state.db == "replica"
        enterprise.address = "副本读取后保存"
        enterprise.save(update_fields=["address"])
    assert not _writes(_sql(on_replica))
    assert any(q.lstrip().upper().startswith("UPDATE") for q in _sql(on_default))
    assert Enterprise.objects.get(pk=enterprise.pk).address == "副本读取后保存"


@pytest.mark.parametrize(("url_name", "layer", "table", "query"), [
    ("registry_map:layer", "places", "registry_place", ""),
    ("registry_map:layer", "enterprises", "registry_enterprise", "?bbox=103.0,35.3,104.0,36.0&zoom=10"),
    ("risk_map:layer", "points", "risks_riskpoint", ""),
])
def test_map_layers_read_their_features_on_the_replica(world, replica, url_name, layer, table, query):
    client = Client()
    client.force_login(world.township_officer)

    def fetch():
        response = client.get(reverse(url_name, args=[layer]) + query)
        assert response.status_code == 200, response.content[:300]
        return b"".join(response.streaming_content) if response.streaming else response.content

    body, on_default, on_replica = _run(replica, fetch)
    assert any(f'"{table}"' in q for q in on_replica), "the layer's features were not read on the replica"
    assert not any(f'FROM "{table}"' in q for q in on_default), "the layer's features were read on the primary"
    assert not _writes(on_replica)
    assert body.startswith(b"{")
