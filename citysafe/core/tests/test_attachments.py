"""Attachments: type by content, size limit, images stripped of EXIF/GPS, random names, audit."""
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from citysafe.core.attachments import store_attachment
from citysafe.core.audit_models import AuditRecord

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps_and_orientation() -> bytes:
    """A 40×20 photo whose EXIF says 'rotate 90°' and where it was taken."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (28.0, 23.0, 10.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 35.0, 20.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def error_codes(exc: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_photo_is_stored_upright_without_exif_or_gps(world):
    original = jpeg_with_gps_and_orientation()
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload really carries a position

    attachment = store_attachment(world.grid_worker, upload("现场照片 IMG_0001.jpg", original, "image/jpeg"))

    with attachment.file.open("rb") as stored_file:
        stored = stored_file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (20, 40)  # orientation applied before the tag was dropped
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    assert b"PhoneMaker" not in stored
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.original_name == "现场照片 IMG_0001.jpg"
    assert "IMG_0001" not in attachment.file.name and attachment.file.name.endswith(".jpg")
    assert attachment.uploaded_by == world.grid_worker
    assert AuditRecord.objects.filter(action="upload", object_type="core.Attachment",
                                      object_id=str(attachment.pk), actor=world.grid_worker).exists()


def test_two_uploads_of_the_same_file_get_different_storage_names(world):
    first = store_attachment(world.admin, upload("a.pdf", MINIMAL_PDF))
    second = store_attachment(world.admin, upload("a.pdf", MINIMAL_PDF))
    assert first.sha256 == second.sha256
    assert first.file.name != second.file.name


def test_type_comes_from_the_content_not_the_name_or_the_browser(world):
    disguised = store_attachment(world.admin, upload("photo.jpg", MINIMAL_PDF, "image/jpeg"))
    assert disguised.content_type == "application/pdf" and disguised.file.name.endswith(".pdf")

    with pytest.raises(ValidationError) as caught:
        store_attachment(world.admin, upload("report.pdf", b"<html><script>alert(1)</script></html>",
                                             "application/pdf"))
    assert error_codes(caught.value) == {"file": ["type_not_allowed"]}
    assert "不支持的文件类型" in caught.value.message_dict["file"][0]


def test_a_type_not_on_the_allowed_list_is_refused_even_if_recognised(world):
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # noqa: E501
    with pytest.raises(ValidationError) as caught:
        store_attachment(world.admin, upload("animation.gif", gif, "image/gif"))
    assert error_codes(caught.value) == {"file": ["type_not_allowed"]}
    assert "image/gif" in caught.value.message_dict["file"][0]


def test_too_large_file_is_refused_with_the_limit_named(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        store_attachment(world.admin, upload("big.pdf", MINIMAL_PDF + b"%" * 2000))
    assert error_codes(caught.value) == {"file": ["too_large"]}
    assert "文件过大" in caught.value.message_dict["file"][0] and "1000" in caught.value.message_dict["file"][0]


def test_truncated_photo_is_refused_as_corrupt(world):
    broken = jpeg_with_gps_and_orientation()[:300]
    with pytest.raises(ValidationError) as caught:
        store_attachment(world.admin, upload("broken.jpg", broken, "image/jpeg"))
    assert error_codes(caught.value) == {"file": ["corrupt_image"]}
    assert "图片文件已损坏" in caught.value.message_dict["file"][0]


def test_empty_file_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        store_attachment(world.admin, upload("empty.pdf", b""))
    assert error_codes(caught.value) == {"file": ["empty"]}


def test_png_metadata_text_is_dropped(world):
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    meta.add_text("Comment", "secret location 28.38N 116.59E")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG", pnginfo=meta)
    attachment = store_attachment(world.admin, upload("map.png", buffer.getvalue(), "image/png"))
    with attachment.file.open("rb") as stored_file:
        assert b"secret location" not in stored_file.read()


def test_anonymous_upload_is_forbidden(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        store_attachment(AnonymousUser(), upload("a.pdf", MINIMAL_PDF))
