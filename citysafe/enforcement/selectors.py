"""Reads of the enforcement app beyond the kinds' generic lists."""
from django.db.models import Q

from citysafe.core import masking
from citysafe.enforcement.models import Case


def published_decisions(q: str = "") -> list[dict]:
    """The public page's rows (安全生产法 第七十八条): what publication requires — decision number,
    the unit, cause, penalty, basis, dates — and no personal data beyond the responsible
    person's masked name (个人信息保护法 第六条: the minimum necessary)."""
    rows = Case.objects.filter(published_at__isnull=False, archived_at__isnull=True).select_related("enterprise")
    if q:
        rows = rows.filter(Q(enterprise__name__icontains=q) | Q(decision_number__icontains=q) | Q(cause__icontains=q))
    return [{"decision_number": c.decision_number, "enterprise_name": c.enterprise.name,
             "uscc": c.enterprise.uscc, "party_person": masking.mask_name(c.party_person),
             "cause": c.cause, "penalty": c.get_penalty_display(), "fine_amount": c.fine_amount,
             "penalty_basis": c.penalty_basis, "decided_on": c.decided_on, "published_at": c.published_at}
            for c in rows.order_by("-published_at", "-id")[:2000]]
