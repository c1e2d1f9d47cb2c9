"""The result letter (考核结果通知书) of one unit as a PDF with weasyprint, as the risk card is
made (risks/printouts/card.py: why weasyprint; Noto CJK fonts); the export is audited."""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.assessment.models import UnitResult
from citysafe.core import scope
from citysafe.core.audit import record_change


def letter_pdf(user, pk) -> tuple[bytes, str]:
    from weasyprint import HTML

    result = scope.get_in_scope(user, UnitResult.objects.select_related("system", "organisation"), pk)
    items = list(result.items.select_related("indicator").order_by("indicator__code"))
    html = render_to_string("assessment/letter.html", {"result": result, "items": items, "today": timezone.localdate(),
                                                       "units": result.system.results.filter(archived_at__isnull=True).count()})
    content = HTML(string=html).write_pdf()
    record_change(actor=user, action="export", object_type="assessment.UnitResult", object_id=str(result.pk),
                  object_repr=str(result), after={"resource": "result-letter", "format": "pdf", "rows": len(items)})
    return content, _("%(year)d年度考核结果通知书_%(unit)s.pdf") % {"year": result.system.year,
                                                                 "unit": result.organisation.name}
