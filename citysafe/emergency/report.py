"""The incident's closing summary report as a PDF, with weasyprint like every printout
(risks/printouts/card.py says why not reportlab): an HTML template laid out with CSS, the
Noto CJK fonts of fonts-noto-cjk embedded (subset) in the file, so it reads the same on
every machine."""
from django.template.loader import render_to_string
from django.utils import timezone

from citysafe.emergency import selectors


def incident_report_pdf(user, incident) -> bytes:
    from weasyprint import HTML

    dispatches = []
    for d in incident.dispatches.select_related("team", "material"):
        what = d.team.name if d.team_id else (f"{d.material.name} {d.quantity:g}{d.material.unit}"
                                              if d.material_id else d.task)
        dispatches.append({"at": d.ordered_at, "kind": d.get_kind_display(), "what": what,
                           "status": d.get_status_display()})
    html = render_to_string("emergency/report.html", {
        "incident": incident, "dispatches": dispatches, "logs": list(incident.logs.select_related("actor")),
        "plans": selectors.matching_plans(user, incident), "now": timezone.now()})
    return HTML(string=html).write_pdf()
