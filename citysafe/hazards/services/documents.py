"""The loop's documents as PDFs (weasyprint, as the risks app's printouts — Chinese text laid out
by HTML/CSS, Noto CJK fonts shaped by pango): the rectification order (责令限期整改指令书) once a
notice is issued, and the re-inspection opinion (整改复查意见书) once re-inspected. Number,
legal basis, deadline and signature blocks; data read in the caller's scope; each export audited."""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import Hazard, Status

# The legal basis printed on each document (citation text; the knowledge app links it on pages).
# Only articles of the laws the platform ships (shared/data/laws, loaded into the knowledge app)
# are cited, so each resolves to its text (tests/test_citations.py): 安全生产法 第六十五条 (一)(三)
# empowers the order to rectify within a deadline and the review before production resumes;
# 第四十一条 makes the unit eliminate the hazard and record it. The 隐患排查治理暂行规定 cited
# before is not among the shipped texts and its article numbers could not be checked.
ORDER_BASIS = ("《中华人民共和国安全生产法》第六十五条", "《中华人民共和国安全生产法》第四十一条")
REVIEW_BASIS = ("《中华人民共和国安全生产法》第六十五条",)
ISSUER = "东乡族自治县安全生产委员会办公室"

KINDS = {
    "order": {"title": _("责令限期整改指令书"), "template": "hazards/documents/order.html", "basis": ORDER_BASIS},
    "review": {"title": _("整改复查意见书"), "template": "hazards/documents/review.html", "basis": REVIEW_BASIS},
}


def document_pdf(user, pk, kind: str) -> tuple[bytes, str]:
    from weasyprint import HTML

    hazard = scope.get_in_scope(user, Hazard.objects.select_related("township", "owner_enterprise"), pk)
    spec = KINDS[kind]
    if kind == "order" and not hazard.notice_number:
        raise TransitionError(_("尚未下达整改通知，没有整改指令书"))
    if kind == "review" and not hazard.reinspected_at:
        raise TransitionError(_("尚未复查，没有复查意见书"))
    number = hazard.notice_number if kind == "order" else hazard.notice_number.replace("责改", "复查")
    html = render_to_string(spec["template"], {
        "hazard": hazard, "number": number, "basis": spec["basis"], "title": spec["title"], "issuer": ISSUER,
        "today": timezone.localdate(), "passed": hazard.status == Status.CLOSED})
    content = HTML(string=html).write_pdf()
    record_change(actor=user, action="export", object_type="hazards.Hazard", object_id=str(hazard.pk),
                  object_repr=f"{spec['title']}：{hazard.code}", after={"resource": kind, "format": "pdf", "rows": 1})
    return content, f"{spec['title']}_{hazard.code}.pdf"
