"""The risk notification card (风险告知卡) of one risk point as a PDF, with weasyprint.

Why weasyprint and not reportlab: the card is a page of text in Chinese with a coloured band,
lists and a table, which HTML/CSS lays out (wrapping, page fit) in a template the county can
restyle; weasyprint shapes text with pango/harfbuzz, so the Noto CJK OpenType (CFF) fonts of
fonts-noto-cjk work as installed — reportlab embeds TrueType outlines only and would need a
converted font. It needs the pango libraries (scripts/ensure_services.sh installs them).
Data comes from the map's risk card (map/cards.py: scope, masking); the export is audited."""
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change
from citysafe.risks.map.cards import card_data
from citysafe.risks.models import LEVEL_HEX


def card_pdf_for(user, pk) -> tuple[bytes, str]:
    from weasyprint import HTML

    card = card_data(user, pk)  # 404 outside the user's scope
    html = render_to_string("risks/printouts/card.html", {
        "card": card, "colour": LEVEL_HEX.get(card["level"], LEVEL_HEX[0]),
        "dark_text": card["level"] == 3, "today": timezone.localdate()})
    content = HTML(string=html).write_pdf()
    record_change(actor=user, action="export", object_type="risks.RiskPoint", object_id=str(card["id"]),
                  object_repr=_("风险告知卡：%(name)s") % {"name": card["name"]},
                  after={"resource": "risk-card", "format": "pdf", "rows": 1})
    return content, _("风险告知卡_%(name)s.pdf") % {"name": card["name"]}
