"""API shapes of the knowledge base."""
import datetime
from decimal import Decimal
from typing import Literal, Optional

from ninja import Field, Schema

from citysafe.knowledge.case_models import AccidentType
from citysafe.knowledge.models import Document

KindIn = Literal[tuple(Document.Kind.values)]
StatusIn = Literal[tuple(Document.Status.values)]


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    short_title: str
    number: str
    issuer: str
    promulgated_on: Optional[datetime.date]
    effective_on: Optional[datetime.date]
    version_date: Optional[datetime.date]
    status: str
    is_current: bool
    is_published: bool
    is_synthetic: bool
    previous_id: Optional[int]
    url: str = ""


class ArticleOut(Schema):
    id: int
    document_id: int
    key: str
    label: str
    heading_path: str
    text: str
    reference: str
    url: str = ""


class HitOut(Schema):
    article: ArticleOut
    score: float
    snippet_html: str


class SearchOut(Schema):
    items: list[HitOut]
    has_more: bool


class DocumentPatch(Schema):
    is_published: Optional[bool] = None
    status: Optional[StatusIn] = None
    short_title: Optional[str] = Field(None, min_length=1, max_length=100)


class ImportOut(Schema):
    ok: bool
    outcome: str
    document_id: Optional[int]
    title: str
    short_title: str
    counts: dict
    errors: list[str]


class ResolveIn(Schema):
    text: str = Field(..., max_length=5000)


class CitationOut(Schema):
    text: str
    resolved: bool
    reference: str
    url: str
    reason: str
    article_id: Optional[int]


class CaseOut(Schema):
    document_id: int
    title: str
    occurred_on: datetime.date
    place: str
    industry: str
    accident_type: str
    deaths: int
    injuries: int
    direct_loss: Decimal
    violated: list[str]
    is_synthetic: bool
    url: str = ""


class CaseIn(Schema):
    title: str = Field(..., max_length=200)
    occurred_on: datetime.date
    place: str = Field(..., max_length=200)
    industry: str = Field(..., max_length=100)
    accident_type: Literal[tuple(AccidentType.values)]
    deaths: int = Field(0, ge=0)
    injuries: int = Field(0, ge=0)
    direct_loss: Decimal = Field(Decimal("0"), ge=0)
    summary: str = Field(..., max_length=20000)
    cause: str = Field(..., max_length=20000)
    lessons: str = Field("", max_length=20000)
    measures: str = Field("", max_length=20000)
    violated: list[str] = []


class SynonymIn(Schema):
    term: str = Field(..., max_length=50)
    expansion: str = Field(..., max_length=100)
    note: str = Field("", max_length=200)


class SynonymOut(Schema):
    term: str
    expansion: str
    note: str


class QuestionIn(Schema):
    question: str = Field(..., min_length=5, max_length=2000)
    asker_name: str = Field("", max_length=50)
    contact: str = Field("", max_length=100)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=5000)
    citations: list[str] = []
    publish: bool = False


class QuestionOut(Schema):
    id: int
    question: str
    status: str
    answer: str
    citations: list[str]
    asked_at: datetime.datetime
    answered_at: Optional[datetime.datetime]
