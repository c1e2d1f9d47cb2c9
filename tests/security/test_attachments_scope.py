"""Attachments belong to a record and are visible exactly when it is: upload and download
check the owner's scope (404 outside it), and a transition takes only its own record's files."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.attachments import attach_file
from citysafe.core.models import Attachment, WorkflowEvent
from citysafe.registry.models import Enterprise

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="整改通知书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload(user, enterprise, name="整改通知书.pdf"):
    return client_for(user).post("/api/v1/attachments", {
        "file": pdf(name), "owner_type": "registry.enterprise", "owner_id": enterprise.pk})


def test_an_officer_uploads_to_a_record_in_scope_and_anyone_who_sees_it_downloads_it(world):
    response = upload(world.township_officer, world.enterprise_in_a)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner_type"], body["owner_id"], body["content_type"]) == (
        "registry.enterprise", world.enterprise_in_a.pk, "application/pdf")
    for reader in (world.township_officer, world.admin, world.leader):
        download = client_for(reader).get(f"/api/v1/attachments/{body['id']}")
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
        assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF


def test_another_township_cannot_download_a_file_of_a_record_outside_its_scope(world):
    file = attach_file(world.township_officer, "registry.enterprise", world.enterprise_in_a.pk, pdf())
    response = client_for(world.other_township_officer).get(f"/api/v1/attachments/{file.pk}")
    assert response.status_code == 404
    assert client_for(world.other_township_officer).get("/api/v1/attachments/99999999").status_code == 404
    assert not scope.narrow(world.other_township_officer, Attachment.objects.filter(pk=file.pk)).exists()
    assert not scope.contains(world.other_township_officer, file) and scope.contains(world.township_officer, file)


def test_another_township_cannot_attach_a_file_to_a_record_outside_its_scope(world):
    before = Attachment.objects.count()
    response = upload(world.other_township_officer, world.enterprise_in_a)
    assert response.status_code == 404
    missing = client_for(world.other_township_officer).post("/api/v1/attachments", {
        "file": pdf(), "owner_type": "registry.enterprise", "owner_id": 99999999})
    assert missing.status_code == 404 and missing.json() == response.json()
    assert Attachment.objects.count() == before


def test_a_read_only_role_cannot_attach_and_only_attachable_kinds_take_files(world):
    assert upload(world.leader, world.enterprise_in_a).status_code == 403
    response = client_for(world.admin).post("/api/v1/attachments", {
        "file": pdf(), "owner_type": "accounts.user", "owner_id": world.admin.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "owner_type"


def test_an_enterprise_officer_sees_its_own_enterprises_files_and_no_others(world):
    own = attach_file(world.admin, "registry.enterprise", world.enterprise.pk, pdf("own.pdf"))
    other = Enterprise.objects.exclude(pk=world.enterprise.pk).order_by("id").first()
    foreign = attach_file(world.admin, "registry.enterprise", other.pk, pdf("foreign.pdf"))
    visible = set(scope.narrow(world.enterprise_officer, Attachment.objects.all()))
    assert own in visible and foreign not in visible
    assert client_for(world.enterprise_officer).get(f"/api/v1/attachments/{foreign.pk}").status_code == 404


def test_a_file_of_an_archived_record_is_hidden_like_the_record(world):
    from citysafe.registry.services import archive_record

    file = attach_file(world.township_officer, "registry.enterprise", world.enterprise_in_a.pk, pdf())
    archive_record(world.admin, Enterprise, world.enterprise_in_a.pk)
    assert client_for(world.township_officer).get(f"/api/v1/attachments/{file.pk}").status_code == 404


def test_a_transition_with_another_records_attachment_is_refused_the_same_way_as_a_missing_one(world):
    enterprise = world.enterprise_in_a
    sibling = Enterprise.objects.filter(township=enterprise.township).exclude(pk=enterprise.pk).order_by("id").first()
    not_its_own = attach_file(world.township_officer, "registry.enterprise", sibling.pk, pdf())
    api = client_for(world.township_officer)
    answers = []
    for attachment_id in (not_its_own.pk, 99999999):
        response = api.post(f"/api/v1/enterprises/{enterprise.pk}/transitions", {
            "transition": "suspend", "note": "整改", "expected_version": enterprise.version,
            "attachments": [attachment_id]}, content_type="application/json")
        assert response.status_code == 422
        answers.append(response.json())
    assert answers[0] == answers[1]
    assert answers[0]["detail"][0]["loc"][-1] == "attachments"
    assert Enterprise.objects.get(pk=enterprise.pk).operating_status == Enterprise.OperatingStatus.OPERATING

    own = attach_file(world.township_officer, "registry.enterprise", enterprise.pk, pdf())
    response = api.post(f"/api/v1/enterprises/{enterprise.pk}/transitions", {
        "transition": "suspend", "note": "整改", "expected_version": enterprise.version,
        "attachments": [own.pk]}, content_type="application/json")
    assert response.status_code == 200
    [event] = WorkflowEvent.objects.filter(object_type="registry.Enterprise", object_id=enterprise.pk)
    assert list(event.attachments.all()) == [own]


def test_the_enterprise_page_uploads_lists_and_attaches_files(world):
    enterprise = world.enterprise_in_a
    client = client_for(world.township_officer)
    response = client.post(reverse("registry:attach", args=[enterprise.pk]), {"file": pdf("现场照片.pdf")}, follow=True)
    assert response.status_code == 200
    [file] = Attachment.objects.filter(owner_id=enterprise.pk, original_name="现场照片.pdf")
    page = client.get(reverse("registry:detail", args=["enterprises", enterprise.pk])).content.decode()
    assert "现场照片.pdf" in page and f"/api/v1/attachments/{file.pk}" in page
    client.post(reverse("registry:transition", args=[enterprise.pk]), {
        "transition": "suspend", "note": "整改", "version": enterprise.version, "attachments": [file.pk],
        "deadline": ""})
    [event] = WorkflowEvent.objects.filter(object_type="registry.Enterprise", object_id=enterprise.pk)
    assert list(event.attachments.all()) == [file]
    # Another township's officer can neither upload to it nor see its page.
    other = client_for(world.other_township_officer)
    assert other.post(reverse("registry:attach", args=[enterprise.pk]), {"file": pdf()}).status_code == 404
