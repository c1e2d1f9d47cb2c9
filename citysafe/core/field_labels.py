"""The Chinese name of the field a service error is about, for pages that cannot put the error
under the field itself (a form without that field, an admin message, a workflow action).
Services name fields by their dict keys ("location", "township_id", "payload.deadline");
users should read 位置, 所属乡镇, 整改期限 — never the key."""
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

# Keys that are no model field: the service's own names for what it checks.
SERVICE_KEYS = {
    "location": _("位置（经纬度）"),
    "expected_version": _("版本"),
    "version": _("版本"),
    "attachments": _("附件"),
    "file": _("文件"),
    "transition": _("操作"),
    "note": _("说明"),
}


def field_label(model, key: str) -> str:
    """`key`'s label: the model field's verbose name (`x_id` and `x_ids` read as `x`/`xs`,
    `payload.x` as `x`), else a known service key, else the key itself as the last resort."""
    name = key.split(".")[-1]
    for candidate in (name, name.removesuffix("_id"), name.removesuffix("_ids"), name.removesuffix("_ids") + "s"):
        if model is None:
            break
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except FieldDoesNotExist:
            continue
    for candidate in (key, name):
        if candidate in SERVICE_KEYS:
            return str(SERVICE_KEYS[candidate])
    return key


def labelled_messages(model, message_dict: dict) -> list[str]:
    """Every message of a ValidationError's dict as "label：message" ("__all__" unlabelled)."""
    return [message if key == "__all__" else f"{field_label(model, key)}：{message}"
            for key, messages in message_dict.items() for message in messages]
