"""Classification (rule, override with reason), the plan (spread, frequencies, progress from the
inspection records), the pages and the public page."""
from django.urls import reverse
from django.utils import timezone

from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection
from citysafe.registry.models import Place
from citysafe.supervision.models import EnforcementPlan, EnterpriseClass, PlannedInspection
from citysafe.supervision.selectors import plan_progress
from citysafe.supervision.services import classification
from tests.api.conftest import Api


def test_a_manual_class_needs_a_reason_and_is_audited(sv):
    row = EnterpriseClass.objects.filter(enterprise=sv.pool[0], year=sv.year).get()
    api = Api(sv.world.department)
    refused = api.post(f"supervision/classes/{row.pk}/override", {"version": row.version, "manual_class": "A"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "override_reason"
    done = api.post(f"supervision/classes/{row.pk}/override",
                    {"version": row.version, "manual_class": "A", "reason": "近期发生险情，提级监管"})
    assert done.status_code == 200 and done.json()["final_class"] == "A"
    assert AuditRecord.objects.filter(object_type="supervision.EnterpriseClass", object_id=str(row.pk),
                                      action="override_class", note="近期发生险情，提级监管").exists()
    # a re-computation keeps the manual class
    classification.classify_enterprises(sv.world.admin, sv.year)
    assert EnterpriseClass.objects.get(pk=row.pk).final_class == "A"


def test_an_enterprise_outside_the_departments_industries_cannot_be_overridden_by_it(sv):
    outside = EnterpriseClass.objects.filter(year=sv.year).exclude(enterprise__in=sv.pool).first()
    answer = Api(sv.world.department).post(f"supervision/classes/{outside.pk}/override",
                                           {"version": outside.version, "manual_class": "A", "reason": "x"})
    assert answer.status_code == 404


def test_the_rule_is_editable_by_the_county_office_and_bad_thresholds_are_named(sv):
    admin = Api(sv.world.admin)
    bad = admin.client.put("/api/v1/supervision/rule", {"rule": {"thresholds": [10, 30, 5]}},
                           content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "rule.thresholds"
    assert Api(sv.world.department).client.put("/api/v1/supervision/rule", {"rule": {}},
                                               content_type="application/json").status_code == 403
    good = admin.client.put("/api/v1/supervision/rule", {"rule": {"thresholds": [1, 0.5, 0]}},
                            content_type="application/json")
    assert good.status_code == 200
    classification.classify_enterprises(sv.world.admin, sv.year)
    assert set(EnterpriseClass.objects.filter(year=sv.year, manual_class="").values_list("computed_class", flat=True)) == {"A"}


def test_the_plan_spreads_each_class_by_its_frequency_and_counts_inspections_done(sv):
    plan = EnforcementPlan.objects.get(department=sv.department, year=sv.year)
    per_enterprise = {}
    for line in PlannedInspection.objects.filter(plan=plan):
        per_enterprise.setdefault(line.enterprise_id, []).append(line)
    for lines in per_enterprise.values():
        assert len(lines) == plan.frequencies[lines[0].enterprise_class]
    before = plan_progress(plan)
    month = timezone.localdate().month
    line = PlannedInspection.objects.filter(plan=plan, month=month).first()
    if line is None:  # make one planned for this month
        line = PlannedInspection.objects.filter(plan=plan).first()
        line.month = month
        line.save()
        before = plan_progress(plan)
    place = Place.objects.filter(owner_enterprise_id=line.enterprise_id).first() or Place.objects.create(
        name="测试厂区", place_type="factory", lon=103.0, lat=36.0, township_id=line.enterprise.township_id,
        geometry={"type": "Point", "coordinates": [103.0, 36.0]}, owner_enterprise_id=line.enterprise_id)
    Inspection.objects.create(template=ChecklistTemplate.objects.first(), place=place, inspector=sv.world.department,
                              inspected_at=timezone.now(), results=[], township_id=place.township_id)
    after = plan_progress(plan)
    assert after["done"] == before["done"] + 1
    assert after["months"][month - 1]["recorded"] == before["months"][month - 1]["recorded"] + 1


def test_changing_frequencies_relays_the_plan_and_rejects_more_than_monthly(sv):
    plan = EnforcementPlan.objects.get(department=sv.department, year=sv.year)
    api = Api(sv.world.department)
    bad = api.post(f"supervision/plans/{plan.pk}/frequencies",
                   {"version": plan.version, "frequencies": {"A": 13, "B": 2, "C": 1, "D": 0}})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-2:] == ["frequencies", "A"]
    good = api.post(f"supervision/plans/{plan.pk}/frequencies",
                    {"version": plan.version, "frequencies": {"A": 4, "B": 2, "C": 2, "D": 1}})
    assert good.status_code == 200
    assert good.json()["progress"]["planned"] == PlannedInspection.objects.filter(plan=plan).count()
    stale = api.post(f"supervision/plans/{plan.pk}/frequencies",
                     {"version": plan.version, "frequencies": {"A": 4, "B": 2, "C": 2, "D": 1}})
    assert stale.status_code == 409


def test_a_second_plan_for_the_same_year_is_refused(sv):
    answer = Api(sv.world.department).post("supervision/plans", {"year": sv.year})
    assert answer.status_code == 422 and "已存在" in answer.json()["detail"][0]["msg"]


def test_the_pages_show_plan_progress_classes_and_draws_to_the_department(client, sv):
    client.force_login(sv.world.department)
    plan = EnforcementPlan.objects.get(department=sv.department, year=sv.year)
    for url in (reverse("supervision:plans"), reverse("supervision:plan", args=[plan.pk]),
                reverse("supervision:classes"), reverse("supervision:draws")):
        assert client.get(url).status_code == 200, url
    from citysafe.supervision.models import RandomDraw
    record = RandomDraw.objects.get(department=sv.department)
    page = client.get(reverse("supervision:draw", args=[record.pk]) + "?verify=1").content.decode()
    assert "与记录完全一致" in page and str(record.seed) in page
    client.force_login(sv.world.other_department)
    assert client.get(reverse("supervision:draw", args=[record.pk])).status_code == 404
    assert client.get(reverse("supervision:plan", args=[plan.pk])).status_code == 404


def test_the_public_page_lists_draws_without_sign_in_and_masks_inspectors_phones(client, sv):
    from citysafe.supervision.models import DrawnInspection, RandomDraw

    record = RandomDraw.objects.get(department=sv.department)
    page = client.get(reverse("supervision:public")).content.decode()
    row = DrawnInspection.objects.filter(draw=record).select_related("enterprise", "lead_inspector").first()
    assert record.title in page and row.enterprise.name in page and row.lead_inspector.name in page
    assert row.lead_inspector.phone not in page and row.lead_inspector.phone[:3] + "****" in page
    assert row.lead_inspector.certificate_number not in page
    public = client.get("/api/v1/supervision/public/draws")
    assert public.status_code == 200 and row.lead_inspector.phone not in public.content.decode()


def test_a_relation_registered_on_the_roster_page_is_avoided_by_the_next_draw(client, sv):
    from citysafe.supervision.models import InspectorLink
    from citysafe.supervision.services import draws

    client.force_login(sv.world.department)
    enterprise, inspector = sv.pool[-1], sv.inspectors[2]
    assert client.get(reverse("supervision:roster")).status_code == 200
    unknown = client.post(reverse("supervision:roster"), {"inspector_id": inspector.pk, "uscc": "91000000000000000X",
                                                          "relation": "kin"})
    assert unknown.status_code == 422 and "统一社会信用代码对应的企业不存在" in unknown.content.decode()
    saved = client.post(reverse("supervision:roster"), {"inspector_id": inspector.pk, "uscc": enterprise.uscc,
                                                        "relation": "kin", "note": "配偶任该企业安全员"})
    assert saved.status_code == 302
    assert InspectorLink.objects.filter(inspector=inspector, enterprise=enterprise).exists()
    record = draws.run_draw(sv.world.admin, **sv.draw_args(targets=len(sv.pool)))
    assert inspector.pk in record.inputs["avoid"][str(enterprise.pk)]
    assert all(inspector.pk not in row["inspectors"] for row in record.result if row["enterprise"] == enterprise.pk)


def test_the_county_office_edits_the_rule_on_its_page_and_a_department_only_reads_it(client, sv):
    from citysafe.supervision.models import ClassificationRule

    client.force_login(sv.world.department)
    assert client.get(reverse("supervision:rule")).status_code == 200
    client.post(reverse("supervision:rule"), {"thresholds.0": "1"})
    assert classification.current_rule().rule["thresholds"][0] == 60.0   # unchanged: read only
    client.force_login(sv.world.admin)
    page = client.get(reverse("supervision:rule")).content.decode()
    fields = {"risk_points.1": 50, "risk_points.2": 30, "risk_points.3": 15, "risk_points.4": 5, "risk_points.0": 10,
              "scale_points.large": 20, "scale_points.medium": 12, "scale_points.small": 6, "scale_points.micro": 2,
              "per_hazard": 2, "per_major_hazard": 15, "per_accident": 25, "record_cap": 40,
              "thresholds.0": 70, "thresholds.1": 35, "thresholds.2": 15, "record_years": 2}
    assert 'name="thresholds.0"' in page
    bad = client.post(reverse("supervision:rule"), {**fields, "thresholds.0": 10})
    assert bad.status_code == 422 and "由高到低" in bad.content.decode()
    assert client.post(reverse("supervision:rule"), fields).status_code == 302
    rule = ClassificationRule.objects.get(archived_at__isnull=True)
    assert rule.rule["thresholds"] == [70.0, 35.0, 15.0] and rule.record_years == 2
    assert AuditRecord.objects.filter(object_type="supervision.ClassificationRule", action="update").exists()
