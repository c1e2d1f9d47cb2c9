"""The Q&A channel: the public asks (rate-limited, CAPTCHA on the form), admins and
departments answer, good answers are published as the FAQ. Every change is audited; a
question asked anonymously is audited with no actor (channel "public")."""
import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import audit_channel, record_change, snapshot
from citysafe.knowledge.citations import resolve_citation
from citysafe.knowledge.models import Question

Status = Question.Status


class RateLimited(Exception):
    """Too many questions from one address (or in total) within the hour."""


def client_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def per_hour() -> tuple[int, int]:
    return (int(getattr(settings, "KNOWLEDGE_QUESTIONS_PER_HOUR", 5)),
            int(getattr(settings, "KNOWLEDGE_QUESTIONS_PER_HOUR_TOTAL", 200)))


@transaction.atomic
def ask_question(address: str, *, question: str, asker_name: str = "", contact: str = "") -> Question:
    """A question from the public. The limit is counted in the database (every web process
    sees the same count): at most N per address and M in total per hour."""
    text = (question or "").strip()
    if len(text) < 5 or len(text) > 2000:
        raise ValidationError({"question": [_("问题应为5至2000个字")]})
    since, key = timezone.now() - datetime.timedelta(hours=1), client_hash(address or "")
    mine, total = per_hour()
    recent = Question.objects.filter(asked_at__gte=since)
    if recent.filter(client_hash=key).count() >= mine or recent.count() >= total:
        raise RateLimited
    asked = Question.objects.create(question=text, asker_name=(asker_name or "").strip()[:50],
                                    contact=(contact or "").strip()[:100], client_hash=key)
    with audit_channel("public"):
        record_change(actor=None, action="ask", instance=asked, before=None, after=snapshot(asked))
    return asked


def _open(actor, pk: int) -> Question:
    if not scope.may(actor, Question, scope.Action.CHANGE):
        raise PermissionDenied(_("只有县安委办和行业主管部门可以答复咨询"))
    return Question.objects.select_for_update().get(pk=pk)


def _checked_citations(lines: list[str]) -> list[str]:
    references, errors = [], []
    for line in (x.strip() for x in lines or []):
        if not line:
            continue
        citation = resolve_citation(line)
        if citation.is_resolved:
            references.append(citation.reference)
        else:
            errors.append(_("“%(text)s”：%(reason)s") % {"text": line, "reason": citation.reason})
    if errors:
        raise ValidationError({"citations": errors})
    return references


@transaction.atomic
def answer_question(actor, pk: int, *, answer: str, citations: list[str] | None = None,
                    publish: bool = False) -> Question:
    question = _open(actor, pk)
    if not (answer or "").strip():
        raise ValidationError({"answer": [_("答复不能为空")]})
    before = snapshot(question)
    question.answer, question.citations = answer.strip()[:5000], _checked_citations(citations or [])
    question.answered_by, question.answered_at = actor, timezone.now()
    question.status = Status.PUBLISHED if publish else Status.ANSWERED
    question.save()
    record_change(actor=actor, action="publish" if publish else "answer", instance=question, before=before,
                  after=snapshot(question))
    return question


@transaction.atomic
def set_question_status(actor, pk: int, status: str) -> Question:
    """Publish an answered question, withdraw it from the FAQ, or decline to answer."""
    question = _open(actor, pk)
    allowed = {Status.PUBLISHED: {Status.ANSWERED}, Status.ANSWERED: {Status.PUBLISHED},
               Status.REJECTED: {Status.OPEN, Status.ANSWERED}}
    if question.status not in allowed.get(status, set()):
        raise ValidationError({"status": [_("不能从“%(from)s”改为“%(to)s”") % {
            "from": question.get_status_display(), "to": Status(status).label if status in Status.values else status}]})
    before = snapshot(question)
    question.status = status
    question.save(update_fields=["status"])
    record_change(actor=actor, action=f"status:{status}", instance=question, before=before, after=snapshot(question))
    return question
