"""The risks pages: the landing page, a risk point's detail with its assessments and measures,
the review queue (a department's own industries only) and its accept/return buttons, the due
list, and the thresholds page (admin edits re-grade; others may not post)."""
from django.urls import reverse

from citysafe.risks.models import Assessment, MethodThreshold, RiskPoint
from citysafe.risks.tests.conftest import RiskWorld, step


def test_the_landing_page_links_every_risk_page_and_counts_what_waits(client, world):
    client.force_login(world.department)
    page = client.get(reverse("risks:index"))
    assert page.status_code == 200
    for url in (reverse("risks:list", args=["risk-points"]), reverse("risks:review_queue"), reverse("risks:due")):
        assert url in page.text
    assert "风险管控" in client.get(reverse("home")).text


def test_a_risk_point_page_shows_its_level_assessments_and_measures(client, world):
    rw = RiskWorld(world)
    point = rw.point(name="页面测试储罐区")
    step(world.department, step(rw.officer, rw.assessment(rw.officer, point), "submit"), "accept")
    from citysafe.risks.services import create_measure

    create_measure(world.admin, {"risk_point_id": point.pk, "kind": "engineering", "description": "安装紧急切断阀"})
    client.force_login(rw.officer)
    page = client.get(reverse("risks:detail", args=["risk-points", point.pk]))
    assert page.status_code == 200
    assert "重大风险" in page.text and "安装紧急切断阀" in page.text and "540" in page.text


def test_the_review_queue_shows_a_departments_own_industries_and_accepting_on_the_page_works(client, world):
    rw = RiskWorld(world)
    point = rw.point(name="审核队列测试点")
    a = step(rw.officer, rw.assessment(rw.officer, point), "submit")
    client.force_login(world.other_department)
    assert "审核队列测试点" not in client.get(reverse("risks:review_queue")).text
    assert client.post(reverse("risks:transition", args=[a.pk]), {"transition": "accept",
                                                                  "version": a.version}).status_code == 404
    client.force_login(world.department)
    assert "审核队列测试点" in client.get(reverse("risks:review_queue")).text
    detail = client.get(reverse("risks:detail", args=["assessments", a.pk]))
    assert 'value="accept"' in detail.text and 'value="return"' in detail.text
    done = client.post(reverse("risks:transition", args=[a.pk]), {"transition": "accept", "version": a.version})
    assert done.status_code == 302
    assert Assessment.objects.get(pk=a.pk).status == "accepted"
    assert RiskPoint.objects.get(pk=point.pk).level == 1


def test_the_assessment_form_scores_the_inputs_and_names_an_off_scale_factor(client, world):
    rw = RiskWorld(world)
    point = rw.point(name="表单评估点")
    client.force_login(rw.officer)
    url = reverse("risks:create", args=["assessments"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"risk_point_id": point.pk, "method": "lec", "factor_l": 7, "factor_e": 6, "factor_c": 15})
    assert bad.status_code == 200 and "分值表" in bad.text
    assert not Assessment.objects.filter(risk_point=point).exists()
    good = client.post(url, {"risk_point_id": point.pk, "method": "lec", "factor_l": 3, "factor_e": 6, "factor_c": 7})
    assert good.status_code == 302, good.text[:3000]
    assert Assessment.objects.get(risk_point=point).level == 3


def test_the_thresholds_page_lets_only_the_admin_change_a_bound(client, world):
    row = MethodThreshold.objects.get(method="ls", level=2)
    client.force_login(world.department)
    assert client.get(reverse("risks:thresholds")).status_code == 403
    client.force_login(world.admin)
    page = client.get(reverse("risks:thresholds"))
    assert page.status_code == 200 and "STANDARDS.md" in page.text
    client.post(reverse("risks:thresholds"), {"id": row.pk, "version": row.version, "lower_bound": "14"})
    row.refresh_from_db()
    assert row.lower_bound == 14


def test_the_due_page_lists_the_users_overdue_points(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("risks:due"))
    assert page.status_code == 200
    overdue = RiskPoint.objects.filter(reassess_due__isnull=False).order_by("reassess_due").first()
    assert overdue is None or overdue.name in page.text


def test_assessing_from_the_risk_point_page_puts_a_factor_error_on_its_input(client, world):
    rw = RiskWorld(world)
    point = rw.point(name="详情页评估点")
    client.force_login(rw.officer)
    url = reverse("risks:new_for_point", args=[point.pk, "assessments"])
    assert url in client.get(reverse("risks:detail", args=["risk-points", point.pk])).text
    bad = client.post(url, {"risk_point_id": point.pk, "method": "lec", "factor_l": 3, "factor_e": 5, "factor_c": 7})
    assert bad.status_code == 200 and "分值表" in bad.text
    assert bad.context["form"].errors.get("factor_e")
    good = client.post(url, {"risk_point_id": point.pk, "method": "lec", "factor_l": 3, "factor_e": 6, "factor_c": 7})
    assert good.status_code == 302
    client.force_login(world.other_township_officer)
    assert client.get(url).status_code == 404


def test_the_recompute_command_rebuilds_the_area_levels(world):
    from django.core.management import call_command

    from citysafe.risks.models import AreaLevel

    AreaLevel.objects.all().delete()
    call_command("recompute_area_levels", verbosity=0)
    county = AreaLevel.objects.get(area__level="county")
    graded = RiskPoint.objects.filter(level__gt=0, archived_at__isnull=True)
    assert sum(county.counts) == graded.count() > 0
    assert county.level == min(graded.values_list("level", flat=True))
