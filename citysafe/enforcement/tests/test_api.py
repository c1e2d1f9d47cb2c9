"""The case through the API: inspection record → case → steps, errors in the one shape, documents,
evidence bounds, the public list without sign-in."""
import io

import pytest
from django.test import Client
from PIL import Image

from citysafe.enforcement.models import Case, Evidence
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def _move(api, case_id, transition, version, **extra):
    return api.post(f"/api/v1/cases/{case_id}/transitions",
                    {"transition": transition, "expected_version": version, **extra})


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_case_through_the_api_refuses_a_basis_that_does_not_resolve_with_a_422_naming_the_rule(ew):
    w = ew.world
    township, admin = Api(w.township_officer), Api(w.admin)
    record = township.post("/api/v1/inspection-records", {
        "enterprise_id": ew.enterprise.pk, "inspectors": "马明 62010031", "findings": "应急照明损坏",
        "result": "violation"})
    assert record.status_code == 201, record.content
    case = township.post(f"/api/v1/inspection-records/{record.json()['id']}/case", {"cause": "应急照明损坏"})
    assert case.status_code == 201, case.content
    body = case.json()
    assert body["status"] == "draft" and body["number"]
    refused = _move(township, body["id"], "approve_opening", body["version"])
    assert refused.status_code == 403  # townships propose, the county office or department approves
    opened = _move(admin, body["id"], "approve_opening", body["version"])
    assert opened.status_code == 200 and opened.json()["decision_due"]
    bad = _move(township, body["id"], "notify", opened.json()["version"],
                payload={"penalty": "warning", "penalty_basis": "不存在的法 第一条"})
    assert bad.status_code == 422
    assert "第三十八条" in bad.json()["detail"][0]["msg"]
    assert Case.objects.get(pk=body["id"]).status == "investigating"
    unknown = _move(township, body["id"], "notify", opened.json()["version"], payload={"penalty": "flogging"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1].startswith("payload.penalty")
    outsider = _move(Api(w.other_township_officer), body["id"], "notify", opened.json()["version"],
                     payload={"penalty": "warning", "penalty_basis": "安全生产法 第九十九条"})
    assert outsider.status_code in (403, 404)
    pdf = township.get(f"/api/v1/cases/{body['id']}/documents/opening")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_evidence_takes_an_image_and_refuses_a_file_that_is_not_one_of_the_allowed_types(ew):
    w = ew.world
    case = ew.opened_case()
    client = Client()
    client.force_login(w.township_officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(f"/api/v1/cases/{case.pk}/evidence",
                     {"kind": "photo", "title": "现场照片", "file": SimpleUploadedFile("a.png", _png())})
    assert ok.status_code == 201, ok.content
    bad = client.post(f"/api/v1/cases/{case.pk}/evidence",
                      {"kind": "document", "title": "脚本", "file": SimpleUploadedFile("a.pdf", b"#!/bin/sh\nrm -rf /\n")})
    assert bad.status_code == 422
    assert Evidence.objects.filter(case=case).count() == 1


def test_the_public_list_needs_no_sign_in_and_masks_the_responsible_person(ew):
    from citysafe.enforcement.services import records
    from citysafe.enforcement.tests.conftest import step

    fine = {"penalty": "fine", "fine_amount": "3000", "penalty_basis": "安全生产法 第九十九条"}
    case = step(ew.world.township_officer, ew.opened_case(), "notify", **fine)
    Case.objects.filter(pk=case.pk).update(party_person="王建国")
    case = step(ew.world.township_officer, case, "waive", note="书面放弃")
    case = step(ew.world.admin, case, "decide", decision_text="罚款三千元", **fine)
    case.refresh_from_db()
    records.publish_decision(ew.world.admin, case.pk, expected_version=case.version)
    rows = Client().get("/api/v1/public/decisions").json()
    row = next(r for r in rows if r["decision_number"] == case.decision_number)
    assert row["party_person"] == "王**" and row["enterprise_name"] == ew.enterprise.name
    assert "王建国" not in Client().get("/enforcement/public/decisions/").content.decode()
