"""Storing uploaded files safely.

The type of a file is decided by its content (magic bytes, via `filetype`), never by its
name or the browser's Content-Type, both of which the uploader controls. Images are decoded
and re-encoded with Pillow: that drops EXIF (GPS position of the photographer, camera
serial), text chunks and anything appended after the image data, and proves the file is a
real image. Files go through Django's default storage (local disk, or S3-compatible with
ATTACHMENT_STORAGE=s3) under a random name; the original name is kept only as data.

A file belongs to a record (`attach_file`): the uploader must be allowed to change that
record and see it (404 otherwise), and the file is then visible exactly when the record is
(core.scope delegates an Attachment's scope to its owner). `open_attachment` is the one
way to read a file back, through the same scope.
"""
import hashlib
import io
import uuid
from pathlib import PurePath

import filetype
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.models import Attachment

# Pillow format per sniffed image type, with the options used to re-encode it.
IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", {"quality": 90}),
    "image/png": ("PNG", {"optimize": True}),
    "image/webp": ("WEBP", {"quality": 90}),
}
TYPE_LABELS = {
    "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (xlsx)",
}


def owner_model(owner_type: str):
    """The model an `owner_type` such as "registry.enterprise" names, if it accepts attachments."""
    try:
        model = apps.get_model(str(owner_type))
    except (LookupError, ValueError):
        model = None
    if model is None or model not in scope.attachable_models():
        raise ValidationError({"owner_type": [ValidationError(
            _("不能为此类记录上传附件（可用：%(kinds)s）") % {
                "kinds": "、".join(m._meta.label_lower for m in scope.attachable_models())},
            code="owner_type")]})
    return model


def attach_file(actor, owner_type: str, owner_id, uploaded_file) -> Attachment:
    """Store a file as belonging to one record: the actor's role must be allowed to change
    records of that kind (403) and the record must be in the actor's scope (404 otherwise,
    the same whether it does not exist or is someone else's)."""
    model = owner_model(owner_type)
    scope.require(actor, model, scope.Action.CHANGE)
    owner = scope.get_in_scope(actor, model._default_manager.all(), owner_id)
    return store_attachment(actor, uploaded_file, owner=owner)


def open_attachment(actor, pk) -> Attachment:
    """An attachment the actor may read: its owner record is visible to them (404 otherwise)."""
    return scope.get_in_scope(actor, Attachment.objects.select_related("owner_type"), pk)


def attachments_of(actor, record) -> list[Attachment]:
    """The files of one record the actor can see (all of them, when the record is visible)."""
    from django.contrib.contenttypes.models import ContentType

    return list(scope.narrow(actor, Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(type(record)), owner_id=record.pk)).order_by("id"))


def store_attachment(actor, uploaded_file, owner=None) -> Attachment:
    """Check, clean and store one uploaded file (belonging to `owner`, a record the caller
    has already checked); returns the saved Attachment (audited)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("请先登录"))
    data = _read_bounded(uploaded_file)
    mime, extension = _sniff(data)
    if mime in IMAGE_FORMATS:
        data = _reencode_image(data, mime)
    storage_name = f"{uuid.uuid4().hex}.{extension}"
    attachment = Attachment(
        storage_name=storage_name,
        original_name=PurePath(uploaded_file.name or "upload").name[:255] or "upload",
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        owner=owner,
    )
    attachment.file.save(storage_name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            record_change(actor=actor, action="upload", instance=attachment, before=None, after=snapshot(attachment))
    except Exception:
        # The row was not written: do not leave an unreferenced file behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _fail(message: str, code: str):
    raise ValidationError({"file": [ValidationError(message, code=code)]})


def _read_bounded(uploaded_file) -> bytes:
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        _too_large(uploaded_file.size, limit)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        _too_large(len(data), limit)
    if not data:
        _fail(_("文件为空"), "empty")
    return data


def _too_large(size: int, limit: int):
    _fail(_("文件过大（%(size)s），不能超过 %(limit)s") % {
        "size": filesizeformat(size), "limit": filesizeformat(limit)}, "too_large")


def _sniff(data: bytes) -> tuple[str, str]:
    kind = filetype.guess(data)
    allowed = settings.ATTACHMENT_ALLOWED_TYPES
    if kind is None or kind.mime not in allowed:
        found = kind.mime if kind is not None else _("无法识别")
        labels = "、".join(TYPE_LABELS.get(mime, mime) for mime in allowed)
        _fail(_("不支持的文件类型（按文件内容识别为：%(found)s）；允许的类型：%(allowed)s") % {
            "found": found, "allowed": labels}, "type_not_allowed")
    return kind.mime, kind.extension


def _reencode_image(data: bytes, mime: str) -> bytes:
    pillow_format, options = IMAGE_FORMATS[mime]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure check; the object is unusable afterwards
        with Image.open(io.BytesIO(data)) as image:
            if image.format != pillow_format:
                raise UnidentifiedImageError(f"{image.format} inside a {mime} file")
            image.load()
            # Turn the pixels the way the camera meant before dropping the tag that says so.
            upright = ImageOps.exif_transpose(image)
            if pillow_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            upright.info.clear()
            out = io.BytesIO()
            upright.save(out, format=pillow_format, **options)
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        _fail(_("图片文件已损坏或无法识别，请重新拍摄或导出后上传"), "corrupt_image")
