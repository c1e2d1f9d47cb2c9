"""Preparing the cluster bench (bench/cluster_mixed_load.py): the database dropped and migrated,
Django set up in the bench process, the small demo county with its sensors, API and gateway
tokens. Imported before Django is configured: Django and the apps are imported inside."""
import os
import secrets
import subprocess
import sys
import time

from tests.deploy.stack import ROOT, platform_env


def prepare_database(url: str, reuse: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    if not reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True,
                   env=platform_env(url))


def setup_django(url: str):
    os.environ.update(platform_env(url))
    import django

    django.setup()


def seed(reuse: bool) -> dict:
    """The demo county and its sensors; API tokens; a gateway token; warning drafts."""
    from citysafe.accounts.models import Organisation, User
    from citysafe.accounts.services import create_api_token
    from citysafe.monitoring.models import Gateway, Sensor, token_digest
    from citysafe.registry.demo.county import DemoSize, build_county
    from citysafe.registry.models import Area, Enterprise, Industry

    if not (reuse and Area.objects.exists()):
        started = time.perf_counter()
        build_county(DemoSize.small(), password="Demo-2026!", verbose=None)
        from citysafe.monitoring.demo.build import build_monitoring_demo

        build_monitoring_demo(User.objects.get(username="admin"), per_type=1, verbose=lambda *a: None)
        print(f"seeded the small demo county in {time.perf_counter() - started:.0f} s", flush=True)
    admin = User.objects.get(username="admin")
    township = Area.objects.filter(level="township").order_by("code").first()
    township_org = Organisation.objects.filter(area=township).order_by("id").first()
    _t, read_token = create_api_token(admin, name=f"bench-read-{secrets.token_hex(3)}", role="township",
                                      organisation_id=township_org.pk)
    _t, write_token = create_api_token(admin, name=f"bench-write-{secrets.token_hex(3)}", role="admin")
    gateway = Gateway.objects.order_by("id").first()
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw), token_prefix=raw[:8])
    sensors = list(Sensor.objects.filter(gateway=gateway).values_list("code", flat=True))
    points = list(Enterprise.objects.values_list("lon", "lat")[:50])
    return {"read_token": read_token, "write_token": write_token, "gateway": gateway.code, "gateway_token": raw,
            "sensors": sensors, "points": points, "industry": Industry.objects.order_by("id").first().pk,
            "townships": list(Area.objects.filter(level="township").order_by("code").values_list("pk", flat=True))}
