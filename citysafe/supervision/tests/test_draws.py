"""双随机 draws through the service and the API: reproducible from the record, avoidance,
errors that name the rule and store nothing, tasks created."""
import pytest
from django.core.exceptions import ValidationError

from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.inspection_models import InspectionTask
from citysafe.supervision.models import DrawnInspection, InspectorLink, RandomDraw
from citysafe.supervision.services import draws, roster
from tests.api.conftest import Api


def test_rerunning_a_recorded_draw_gives_exactly_the_same_targets_and_inspectors(sv):
    record = draws.run_draw(sv.world.admin, **sv.draw_args(targets=len(sv.pool)))
    stored = RandomDraw.objects.get(pk=record.pk)
    again = draws.verify_draw(stored)
    assert again["same"] and again["result"] == stored.result
    assert [(r.enterprise_id, [r.lead_inspector_id, r.second_inspector_id])
            for r in DrawnInspection.objects.filter(draw=stored)] == [
        (row["enterprise"], row["inspectors"]) for row in stored.result]
    # the API says the same for the department that drew
    verified = Api(sv.world.department).get(f"supervision/draws/{stored.pk}/verify")
    assert verified.status_code == 200 and verified.json()["same"] is True
    audit = AuditRecord.objects.get(object_type="supervision.RandomDraw", object_id=str(stored.pk), action="draw")
    assert audit.after["seed"] == stored.seed and audit.after["result"] == stored.result


def test_the_same_seed_over_the_same_inputs_draws_the_same_and_every_pair_has_a_qualified_inspector(sv):
    first = draws.run_draw(sv.world.admin, **sv.draw_args(seed=42, targets=len(sv.pool)))
    qualified = {i.pk for i in sv.inspectors if i.qualification == "hazchem"}
    for row in first.result:
        assert row["inspectors"][0] in qualified and row["inspectors"][0] != row["inspectors"][1]
    assert draws.verify_draw(first)["result"] == first.result


def test_an_inspector_linked_to_an_enterprise_is_never_drawn_for_it(sv):
    linked = sv.inspectors[1]
    for enterprise in sv.pool:
        roster.link_inspector(sv.world.admin, inspector_id=linked.pk, enterprise_id=enterprise.pk, relation="kin")
    record = draws.run_draw(sv.world.admin, **sv.draw_args(targets=len(sv.pool)))
    assert all(linked.pk not in row["inspectors"] for row in record.result)
    assert all(linked.pk in record.inputs["avoid"][str(e.pk)] for e in sv.pool)


def test_the_inspectors_of_the_last_draw_are_not_drawn_again_for_the_same_enterprise(sv):
    first = draws.run_draw(sv.world.admin, **sv.draw_args(seed=1, targets=len(sv.pool)))
    before = {row["enterprise"]: set(row["inspectors"]) for row in first.result}
    second = draws.run_draw(sv.world.admin, **sv.draw_args(seed=2, targets=len(sv.pool)))
    for row in second.result:
        assert not set(row["inspectors"]) & before[row["enterprise"]]


def test_a_draw_with_an_empty_pool_is_refused_naming_the_rule_and_stores_nothing(sv):
    counts = (RandomDraw.objects.count(), DrawnInspection.objects.count(), InspectionTask.objects.count())
    empty_township = sv.world.township_b if not any(e.township_id == sv.world.township_b.pk for e in sv.pool) else None
    args = sv.draw_args(classes=["A"]) if empty_township is None else sv.draw_args(township_ids=[empty_township.pk])
    from citysafe.supervision.models import EnterpriseClass
    EnterpriseClass.objects.filter(manual_class="A").update(manual_class="")
    EnterpriseClass.objects.filter(computed_class="A").update(computed_class="B")
    answer = Api(sv.world.department).post("supervision/draws", {**args, "due_on": args["due_on"].isoformat(),
                                                                  "department_id": sv.department.pk})
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["loc"][-1] == "classes" and "抽查对象库为空" in detail["msg"] and detail["type"] == "empty_pool"
    assert (RandomDraw.objects.count(), DrawnInspection.objects.count(), InspectionTask.objects.count()) == counts


def test_too_few_qualified_inspectors_is_refused_naming_the_qualification(sv):
    with pytest.raises(ValidationError) as caught:
        draws.run_draw(sv.world.admin, **sv.draw_args(required_qualification="mining"))
    assert "非煤矿山" in caught.value.message_dict["required_qualification"][0]
    # every qualified inspector linked to one enterprise of the pool: the draw over the whole pool fails on it
    target = sv.pool[0]
    for inspector in sv.inspectors:
        if inspector.qualification == "hazchem":
            roster.link_inspector(sv.world.admin, inspector_id=inspector.pk, enterprise_id=target.pk, relation="interest")
    with pytest.raises(ValidationError) as caught:
        draws.run_draw(sv.world.admin, **sv.draw_args(targets=len(sv.pool)))
    assert target.name in caught.value.message_dict["required_qualification"][0]
    assert "回避" in caught.value.message_dict["required_qualification"][0]
    assert not RandomDraw.objects.filter(title="测试抽查").exists()


def test_a_roster_of_one_is_refused_two_inspectors_are_needed(sv):
    from citysafe.supervision.models import Inspector
    Inspector.objects.exclude(pk=sv.inspectors[0].pk).update(archived_at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError) as caught:
        draws.run_draw(sv.world.admin, **sv.draw_args())
    assert "两名执法人员" in caught.value.message_dict["roster"][0]


def test_the_draw_creates_inspection_tasks_for_the_qualified_inspector(sv):
    record = draws.run_draw(sv.world.admin, **sv.draw_args(seed=3, targets=len(sv.pool)))
    with_tasks = DrawnInspection.objects.filter(draw=record, task__isnull=False).select_related("task", "lead_inspector")
    assert with_tasks.exists()
    for row in with_tasks:
        assert row.task.assignee_id == row.lead_inspector.user_id and row.task.due_on == record.due_on


def test_another_department_cannot_draw_for_the_emergency_bureau(sv):
    answer = Api(sv.world.other_department).post("supervision/draws", {
        **sv.draw_args(), "due_on": sv.draw_args()["due_on"].isoformat()})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "department_id"
    assert Api(sv.world.township_officer).post("supervision/draws", {
        **sv.draw_args(), "due_on": sv.draw_args()["due_on"].isoformat()}).status_code == 403


def test_a_department_sees_its_own_draws_and_plans_only(sv):
    record = RandomDraw.objects.get(department=sv.department)
    own, other = Api(sv.world.department), Api(sv.world.other_department)
    assert [d["id"] for d in own.get("supervision/draws").json()] == [record.pk]
    assert other.get("supervision/draws").json() == []
    assert other.get(f"supervision/draws/{record.pk}").status_code == 404
    plan_ids = [p["id"] for p in own.get("supervision/plans").json()]
    assert plan_ids and other.get("supervision/plans").json() == []
    assert other.get(f"supervision/plans/{plan_ids[0]}").status_code == 404
    assert Api(sv.world.township_officer).get("supervision/draws").json() == []
    assert InspectorLink.objects.exists() and other.get("supervision/inspectors").json() == []
