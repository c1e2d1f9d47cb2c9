"""Whom a notification goes to: a platform user, a registry person, or an address (a phone
number, an e-mail address, a webhook URL, an MQTT topic). Each kind is validated here, once,
before a row is written; channels declare which kinds they can reach."""
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from citysafe.core.validation import check_phone, field_error
from citysafe.notifications.models import PERSON_MODEL, Notification, TargetKind

ADDRESS_MAX = Notification._meta.get_field("address").max_length
# MQTT 3.1.1 §4.7: a topic to publish to has no wildcards and no NUL; we also refuse a
# leading "$" (broker-internal topics such as $SYS).
MQTT_FORBIDDEN = ("+", "#", "\x00")


@dataclass(frozen=True)
class Target:
    kind: str
    user: Any = None
    person: Any = None
    address: str = ""

    @classmethod
    def for_user(cls, user) -> "Target":
        return cls(TargetKind.USER, user=user)

    @classmethod
    def for_person(cls, person) -> "Target":
        return cls(TargetKind.PERSON, person=person)

    @classmethod
    def phone(cls, number: str) -> "Target":
        return cls(TargetKind.PHONE, address=number)

    @classmethod
    def email(cls, address: str) -> "Target":
        return cls(TargetKind.EMAIL, address=address)

    @classmethod
    def webhook(cls, url: str) -> "Target":
        return cls(TargetKind.WEBHOOK, address=url)

    @classmethod
    def mqtt(cls, topic: str) -> "Target":
        return cls(TargetKind.MQTT, address=topic)

    @classmethod
    def of(cls, value) -> "Target":
        """A Target as it is, or a User / registry Person instance wrapped in one."""
        if isinstance(value, Target):
            return value
        if isinstance(value, get_user_model()):
            return cls.for_user(value)
        if getattr(getattr(value, "_meta", None), "label", None) == PERSON_MODEL:
            return cls.for_person(value)
        raise ValidationError({"target": _("接收对象必须是用户、人员、电话号码、电子邮箱、Webhook地址或MQTT主题")},
                              code="target_type")

    def validated(self) -> "Target":
        """The target with its address normalised, or a ValidationError naming the rule."""
        if self.kind == TargetKind.USER:
            if self.user is None or self.user.pk is None or self.person is not None or self.address:
                raise field_error("target", _("接收用户必须是已保存的用户"), "target_user")
            return self
        if self.kind == TargetKind.PERSON:
            if self.person is None or self.person.pk is None or self.user is not None or self.address:
                raise field_error("target", _("接收人员必须是已保存的人员"), "target_person")
            return self
        if self.kind not in TargetKind.values or self.user is not None or self.person is not None:
            raise field_error("target", _("接收对象类型不正确"), "target_kind")
        address = (self.address or "").strip()
        if not address or len(address) > ADDRESS_MAX:
            raise field_error("target", _("接收地址不能为空，且不超过%(max)d个字符") % {"max": ADDRESS_MAX},
                              "target_address")
        if self.kind == TargetKind.PHONE:
            address = check_phone(address, field="target")
        elif self.kind == TargetKind.EMAIL:
            try:
                validate_email(address)
            except ValidationError:
                raise field_error("target", _("电子邮箱格式不正确"), "target_email") from None
        elif self.kind == TargetKind.WEBHOOK:
            try:
                URLValidator(schemes=["http", "https"])(address)
            except ValidationError:
                raise field_error("target", _("Webhook地址必须是http或https开头的完整网址"), "target_webhook") from None
        elif self.kind == TargetKind.MQTT and (any(ch in address for ch in MQTT_FORBIDDEN) or address.startswith("$")):
            raise field_error("target", _("MQTT主题不能含通配符+或#，也不能以$开头"), "target_mqtt")
        return Target(self.kind, address=address)

    def key(self) -> str:
        """A stable text form, used to make per-recipient dedupe keys."""
        if self.kind == TargetKind.USER:
            return str(self.user.pk)  # the pre-target form of per-recipient keys, kept for old rows
        if self.kind == TargetKind.PERSON:
            return f"person:{self.person.pk}"
        return f"{self.kind}:{self.address}"

    def row_fields(self) -> dict:
        return {"target_kind": self.kind, "recipient": self.user, "person": self.person, "address": self.address}
