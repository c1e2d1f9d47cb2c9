"""/api/v1/attachments: upload a file to a record, download one.

Thin: parse, call core.attachments, return. Both check the owner record's scope: a record
outside it (or absent) is a 404, the same as elsewhere.
"""
from datetime import datetime
from urllib.parse import quote

from django.http import FileResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from citysafe.core import attachments as service
from citysafe.core.kinds.schemas import ErrorOut


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    owner_type: str
    owner_id: int
    created_at: datetime

    @staticmethod
    def resolve_owner_type(obj) -> str:
        return obj.owner_type.app_label + "." + obj.owner_type.model if obj.owner_type_id else ""


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}
router = Router(tags=["attachments"])


@router.post("", response={201: AttachmentOut, **ERRORS}, operation_id="upload_attachment",
             summary="upload a file to a record (multipart: file, owner_type, owner_id)",
             description="`owner_type` is e.g. `registry.enterprise`. The file's type is decided by its content; "
                         "images are re-encoded. The record must be one you may change and see (404 otherwise).")
def upload_attachment(request, file: UploadedFile = File(...), owner_type: str = Form(...),
                      owner_id: int = Form(..., ge=1)):
    attachment = service.attach_file(request.auth, owner_type, owner_id, file)
    return Status(201, attachment)


@router.get("/{int:attachment_id}", response={200: None, **ERRORS}, operation_id="download_attachment",
            summary="download a file (visible when its record is)")
def download_attachment(request, attachment_id: int):
    attachment = service.open_attachment(request.auth, attachment_id)
    return file_response(attachment)


def file_response(attachment) -> FileResponse:
    """The stored bytes with the type sniffed at upload, always as a download, never sniffed
    again by the browser. Shared by the API and the pages."""
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
