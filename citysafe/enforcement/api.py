"""The enforcement endpoints beside the generic record routers (core.kinds.api): the case's
steps, evidence, publication, documents, opening from an inspection record and the public list
of published decisions. Thin: parse, call one service, return."""
from urllib.parse import quote

from django.http import HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from citysafe.accounts.auth import changers_of
from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.kinds.types import IdParam, Text
from citysafe.core.schema_types import ErrorOut
from citysafe.enforcement import schemas as s
from citysafe.enforcement import selectors
from citysafe.enforcement.kinds import CASES
from citysafe.enforcement.services import documents, records

case_router = Router(tags=["cases"])                    # mounted at /cases
inspection_router = Router(tags=["inspection-records"])  # mounted at /inspection-records
public_router = Router(tags=["public"])                 # mounted at /public/decisions
CONFLICT = {409: ErrorOut, **ERRORS}


@case_router.post("/{int:record_id}/transitions", response={200: s.CaseDetail, **CONFLICT}, auth=changers_of(CASES.model),
                  operation_id="transition_case", summary="take one step of the case (workflows.CASE_FLOW)")
def transition_case(request, record_id: IdParam, payload: s.CaseTransitionIn):
    records.transition_case(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                            note=payload.note, payload=payload.payload, attachments=payload.attachments)
    return read_one(request, CASES, record_id)


@case_router.post("/{int:record_id}/publication", response={200: s.CaseDetail, **CONFLICT},
                  operation_id="publish_case_decision", summary="publish the decision (安全生产法 第七十八条)")
def publish(request, record_id: IdParam, payload: s.VersionIn):
    records.publish_decision(request.auth, record_id, expected_version=payload.expected_version)
    return read_one(request, CASES, record_id)


class EvidenceIn(Schema):
    kind: str
    title: Text


@case_router.post("/{int:record_id}/evidence", response={201: s.EvidenceOut, **ERRORS},
                  operation_id="add_case_evidence", summary="evidence: photo, document or statement (multipart)")
def add_evidence(request, record_id: IdParam, data: Form[EvidenceIn], file: UploadedFile = File(None)):
    return 201, records.add_evidence(request.auth, record_id, kind=data.kind, title=data.title, uploaded_file=file)


@case_router.get("/{int:record_id}/evidence", response={200: list[s.EvidenceOut], **ERRORS},
                 operation_id="list_case_evidence", summary="the case's evidence")
def list_evidence(request, record_id: IdParam):
    from citysafe.core import scope
    from citysafe.enforcement.models import Case, Evidence

    case = scope.get_in_scope(request.auth, Case.objects.all(), record_id)
    return scope.narrow(request.auth, Evidence.objects.filter(case=case))


@case_router.get("/{int:record_id}/documents/{kind}", response={200: None, **ERRORS},
                 operation_id="case_document_pdf", summary="one document as PDF, or kind=case-file: the e-case file")
def document(request, record_id: IdParam, kind: str):
    if kind == "case-file":
        content, filename = documents.case_file_pdf(request.auth, record_id)
    else:
        if kind not in documents.DOCUMENTS:
            from django.http import Http404

            raise Http404
        content, filename = documents.document_pdf(request.auth, record_id, kind)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@inspection_router.post("/{int:record_id}/case", response={201: s.CaseDetail, **ERRORS},
                        operation_id="open_case_from_inspection", summary="propose a case from the record (立案申请)")
def from_inspection(request, record_id: IdParam, payload: s.FromInspectionIn):
    created = records.open_case_from_inspection(request.auth, record_id, cause=payload.cause, facts=payload.facts,
                                                violated_basis=payload.violated_basis)
    return 201, read_one(request, CASES, created.pk)


class PublishedOut(Schema):
    decision_number: str
    enterprise_name: str
    uscc: str
    party_person: str
    cause: str
    penalty: str
    fine_amount: float | None
    penalty_basis: str
    decided_on: str
    published_at: str


@public_router.get("", response=list[PublishedOut], auth=None, operation_id="list_published_decisions",
                   summary="published penalty decisions (public; persons' names masked)")
def published(request, q: str = ""):
    return [{**row, "fine_amount": float(row["fine_amount"]) if row["fine_amount"] is not None else None,
             "decided_on": row["decided_on"].isoformat(), "published_at": row["published_at"].isoformat()}
            for row in selectors.published_decisions(q=q[:100])]
