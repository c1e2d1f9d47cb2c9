"""The site check report as a PDF (weasyprint + Noto CJK, as risks/printouts/card.py explains),
for the planning file. The export is audited."""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change


def site_check_pdf(user, check) -> tuple[bytes, str]:
    from weasyprint import HTML

    html = render_to_string("siting/site_check_report.html", {"check": check, "r": check.result,
                                                              "today": timezone.localdate()})
    content = HTML(string=html).write_pdf()
    record_change(actor=user, action="export", instance=check, after={"resource": "site-check", "format": "pdf"})
    return content, _("规划选址安全评估_%(number)s.pdf") % {"number": check.number}
