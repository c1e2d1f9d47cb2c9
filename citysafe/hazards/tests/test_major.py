"""Major hazards: the plan's five in place, listing by a named authority, no closing or 摘牌
without re-inspection, the dual report, and the area raised while open (risks' area levels)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import Hazard, Status
from citysafe.hazards.services import hazards as services
from citysafe.hazards.tests.conftest import step
from citysafe.risks.models import AreaLevel, AreaRaise

pytestmark = pytest.mark.django_db


def _day(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def _major(hw):
    w = hw.world
    hazard = hw.hazard(description="液化气钢瓶存放于地下室")
    step(w.township_officer, hazard, "grade", grade="major", reason="需停业整改")
    step(w.township_officer, hazard, "issue_notice", responsible_unit="某饭店", responsible_person="李四",
         measures="移出钢瓶，改用管道气", deadline=_day(30).isoformat())
    step(w.grid_worker, hazard, "start")
    hazard.refresh_from_db()
    return hazard


def _plan(hw, hazard):
    hazard.refresh_from_db()
    return services.save_rectification_plan(hw.world.township_officer, hazard.pk, {
        "plan_measures": "移出钢瓶", "plan_funds": "2.5", "plan_person": "李四", "plan_deadline": _day(20),
        "plan_emergency": "泄漏处置预案", "stop_production": True}, expected_version=hazard.version)


def _effective(area_id):
    return AreaLevel.objects.get(pk=area_id).effective_level


def test_open_major_hazard_raises_its_area_and_closing_lowers_it(hw):
    w = hw.world
    grid = hw.place.grid_id
    before = _effective(grid)
    hazard = _major(hw)
    assert AreaRaise.objects.filter(area_id=grid, source=f"hazards.Hazard:{hazard.pk}", cleared_at__isnull=True).exists()
    assert _effective(grid) == 1
    _plan(hw, hazard)
    step(w.grid_worker, hazard, "request_acceptance")
    step(w.township_officer, hazard, "reinspect_pass")
    assert not AreaRaise.objects.filter(area_id=grid, cleared_at__isnull=True,
                                        source=f"hazards.Hazard:{hazard.pk}").exists()
    assert _effective(grid) == before


def test_major_hazard_asks_for_acceptance_only_with_the_five_in_place(hw):
    hazard = _major(hw)
    with pytest.raises(TransitionError, match="五到位"):
        step(hw.world.grid_worker, hazard, "request_acceptance")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.RECTIFYING


def test_major_hazard_cannot_close_without_reinspection(hw):
    hazard = _major(hw)
    with pytest.raises(TransitionError):
        step(hw.world.township_officer, hazard, "reinspect_pass")
    with pytest.raises(ValidationError):
        services.register_fixed_on_spot(hw.world.township_officer, {"category": "gas", "description": "x",
                                                                    "place_id": hw.place.pk, "grade": "major"},
                                        before_photos=[], after_photos=[])
    assert Hazard.objects.get(pk=hazard.pk).status == Status.RECTIFYING


def test_listing_names_an_authority_and_a_future_deadline_and_delisting_waits_for_reinspection(hw):
    w = hw.world
    hazard = _major(hw)
    with pytest.raises(ValidationError) as caught:
        services.list_for_supervision(w.township_officer, hazard.pk, authority="", deadline=_day(-1),
                                      expected_version=hazard.version)
    assert {"listing_authority", "listing_deadline"} <= set(caught.value.message_dict)
    listed = services.list_for_supervision(w.township_officer, hazard.pk, authority="县安委会办公室",
                                           deadline=_day(30), expected_version=hazard.version)
    assert listed.is_listed and listed.listed_at
    with pytest.raises(TransitionError, match="复查合格"):
        services.delist(w.township_officer, hazard.pk, expected_version=listed.version)
    _plan(hw, hazard)
    step(w.grid_worker, hazard, "request_acceptance")
    step(w.township_officer, hazard, "reinspect_pass")
    hazard.refresh_from_db()
    assert not hazard.is_listed and hazard.delisted_at and hazard.status == Status.CLOSED


def test_dual_report_is_recorded_and_a_future_date_refused(hw):
    hazard = _major(hw)
    with pytest.raises(ValidationError):
        services.record_dual_report(hw.world.township_officer, hazard.pk, to_department=_day(2), to_congress=None,
                                    expected_version=hazard.version)
    saved = services.record_dual_report(hw.world.township_officer, hazard.pk, to_department=_day(0),
                                        to_congress=_day(-1).isoformat(), expected_version=hazard.version)
    assert saved.reported_to_department_at == _day(0) and saved.reported_to_congress_at == _day(-1)


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


def test_general_hazard_fixed_on_spot_is_closed_in_one_step_with_before_and_after_photos(hw):
    with pytest.raises(ValidationError) as caught:
        services.register_fixed_on_spot(hw.world.grid_worker, {"category": "fire", "description": "灭火器过期",
                                                               "place_id": hw.place.pk},
                                        before_photos=[_png()], after_photos=[])
    assert "after_photos" in caught.value.message_dict
    hazard = services.register_fixed_on_spot(hw.world.grid_worker, {"category": "fire", "description": "灭火器过期",
                                                                    "place_id": hw.place.pk},
                                             before_photos=[_png()], after_photos=[_png()], note="已更换")
    assert hazard.status == Status.CLOSED and hazard.fixed_on_spot and hazard.grade == "general"
    from citysafe.core.models import WorkflowEvent

    event = WorkflowEvent.objects.get(object_type="hazards.Hazard", object_id=hazard.pk)
    assert event.attachments.count() == 2


def test_rectification_order_and_reinspection_opinion_are_pdfs_with_number_and_basis(hw, tmp_path):
    import subprocess

    from citysafe.hazards.services.documents import document_pdf

    w = hw.world
    hazard = _major(hw)
    with pytest.raises(TransitionError):
        document_pdf(w.township_officer, hazard.pk, "review")
    content, name = document_pdf(w.township_officer, hazard.pk, "order")
    assert content.startswith(b"%PDF") and name.endswith(".pdf")
    _plan(hw, hazard)
    step(w.grid_worker, hazard, "request_acceptance")
    step(w.township_officer, hazard, "reinspect_pass")
    review, _name = document_pdf(w.township_officer, hazard.pk, "review")
    (tmp_path / "order.pdf").write_bytes(content)
    (tmp_path / "review.pdf").write_bytes(review)
    text = subprocess.run(["pdftotext", str(tmp_path / "order.pdf"), "-"], capture_output=True, text=True).stdout
    hazard.refresh_from_db()
    assert hazard.notice_number in text and "第六十五条" in text and "签名" in text
    from django.core.exceptions import ObjectDoesNotExist

    with pytest.raises(ObjectDoesNotExist):
        document_pdf(w.other_township_officer, hazard.pk, "order")
