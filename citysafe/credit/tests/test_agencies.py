"""Service agencies: services, evaluations by the user who gives them, the ranking."""
from citysafe.credit.models import AgencyEvaluation, AgencyService, ServiceAgency
from citysafe.credit.services.agencies import ranking
from tests.api.conftest import Api


def test_the_ranking_orders_agencies_by_mean_score_with_ties_sharing_a_place(world):
    rows = ranking(world.admin)
    scored = [r for r in rows if r["mean_score"] is not None]
    assert [r["mean_score"] for r in scored] == sorted((r["mean_score"] for r in scored), reverse=True)
    assert scored[0]["rank"] == 1
    for row in rows:
        agency = ServiceAgency.objects.get(pk=row["id"])
        scores = list(AgencyEvaluation.objects.filter(service__agency=agency).values_list("score", flat=True))
        assert row["evaluations"] == len(scores)
        if scores:
            assert row["mean_score"] == round(sum(scores) / len(scores), 1)


def test_an_evaluation_records_who_gave_it(world):
    service = AgencyService.objects.filter(enterprise=world.enterprise).first() or \
        AgencyService.objects.filter(township=world.township_a).first()
    user = world.enterprise_officer if service.enterprise_id == world.enterprise.pk else world.township_officer
    made = Api(user).post("agency-evaluations", {"code": "PJTEST1", "service_id": service.pk, "score": 60,
                                                 "comment": "报告交付延迟"})
    assert made.status_code == 201, made.content
    assert AgencyEvaluation.objects.get(pk=made.json()["id"]).evaluator == user


def test_a_score_over_100_is_refused(world):
    service = AgencyService.objects.order_by("pk").first()
    answer = Api(world.admin).post("agency-evaluations", {"code": "PJTEST2", "service_id": service.pk, "score": 101})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "score"


def test_the_ranking_page_and_api_answer(client, world):
    client.force_login(world.leader)
    assert client.get("/credit/agencies/").status_code == 200
    assert Api(world.leader).get("credit/agency-ranking").status_code == 200


def test_a_service_report_is_attached_to_the_service_and_only_those_who_see_it_download_it(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path / "media"
    service = AgencyService.objects.filter(township=world.township_a).order_by("pk").first()
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    admin = Client()
    admin.force_login(world.admin)
    made = admin.post("/api/v1/attachments", {"file": SimpleUploadedFile("评价报告.pdf", pdf, content_type="application/pdf"),
                                              "owner_type": "credit.agencyservice", "owner_id": service.pk})
    assert made.status_code == 201, made.content
    mine, theirs = Client(), Client()
    mine.force_login(world.township_officer)
    theirs.force_login(world.other_township_officer)
    assert mine.get(f"/api/v1/attachments/{made.json()['id']}").status_code == 200
    assert theirs.get(f"/api/v1/attachments/{made.json()['id']}").status_code == 404
