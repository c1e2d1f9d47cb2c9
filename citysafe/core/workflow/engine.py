"""Explicit workflow state machines.

A small module rather than django-fsm-2 / python-statemachine: what every CitySafe
workflow needs is a declarative transition table that names the roles allowed to take
each transition, guards and effects, a typed payload, the record's own attachments, the
shared write path (scope, field limits, version, audit) and an event row, all in one
transaction. Those libraries model the transitions but none of the rest, which we would
still have to wrap around them; a table plus one `apply` function is clearer.

`apply`, inside one transaction:
  1. the transition exists (422) and the actor's role may take it (403; the system actor
     where the transition allows it);
  2. the record through `core.records.open_for_change`: role and scope (404 outside),
     the REQUIRED version (stale: `StaleRecord`, the 409 / page conflict message of every
     edit), field limits on the state field and on the transition's own `fields`;
  3. the state it starts from, the note, the payload against the transition's schema,
     the attachments (only the record's own), the field values (model validation);
  4. guards (may refuse with a reason in Chinese), then `save_record` (scope.contains,
     version + 1, audit "transition:<name>"), the WorkflowEvent, then effects (notify,
     raise a level, create a linked record) — an effect that fails rolls everything back.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from citysafe.core import scope
from citysafe.core.audit import snapshot
from citysafe.core.concurrency import StaleRecord
from citysafe.core.models import Attachment, WorkflowEvent
from citysafe.core.records import ErrorCollector, open_for_change, save_record
from citysafe.core.workflow.system import is_system_actor


class TransitionError(Exception):
    """The transition does not exist, is not allowed from the current state, or a guard refused it."""


# A stale version is the conflict every edit has (409 in the API, the conflict message on pages).
TransitionConflict = StaleRecord


@dataclass
class Context:
    """What guards and effects see. Guards run before the save (the instance already carries
    the new state and field values), effects after it (with `event` set)."""

    workflow: "Workflow"
    transition: "Transition"
    actor: Any
    instance: Model
    from_state: str
    before: dict      # the record's snapshot before the transition (core.audit.snapshot)
    note: str
    payload: BaseModel | None
    attachments: list[Attachment]
    event: WorkflowEvent | None = None


Guard = Callable[[Context], "str | None"]   # a refusal reason (Chinese), or None to allow
Effect = Callable[[Context], None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str = ""
    requires_note: bool = False
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    payload: type[BaseModel] | None = None   # schema of WorkflowEvent.payload; a `deadline` sets due_at
    fields: frozenset[str] = frozenset()     # record fields the transition may set (validated, limited)
    system: bool = False                     # the system actor may take it (scheduled / sensor-driven)

    @property
    def title(self) -> str:
        return str(self.label or self.name)


@dataclass
class Workflow:
    name: str
    state_field: str
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, name: str, sources, target: str, roles, label: str = "", *, requires_note: bool = False,
            guards=(), effects=(), payload: type[BaseModel] | None = None, fields=(), system: bool = False):
        self.transitions[name] = Transition(
            name, frozenset(sources), target, frozenset(roles), label, requires_note, tuple(guards),
            tuple(effects), payload, frozenset(fields), system)
        return self

    def may_take(self, actor, transition: Transition) -> bool:
        if is_system_actor(actor):
            return transition.system
        return getattr(actor, "role", None) in transition.roles

    def available(self, actor, instance: Model) -> list[Transition]:
        """The transitions to offer: the role may take them and, as `apply` checks through
        open_for_change, the permission table lets the actor change such records at all."""
        state = getattr(instance, self.state_field)
        if not is_system_actor(actor) and not (scope.may(actor, type(instance), scope.Action.CHANGE)
                                               and scope.may_write(actor, instance)):
            return []
        return [t for t in self.transitions.values() if state in t.sources and self.may_take(actor, t)]

    def apply(self, actor, model: type[Model], pk, name: str, *, expected_version: int, note: str = "",
              attachments=(), payload: dict | None = None, changes: dict | None = None) -> Model:
        if expected_version is None or isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise ValidationError({"expected_version": [ValidationError(
                _("必须提供读取记录时的版本号"), code="version_required")]})
        changes = dict(changes or {})
        with transaction.atomic():
            transition = self.transitions.get(name)
            if transition is None:
                raise TransitionError(_("未知的流程操作：%(name)s") % {"name": name})
            if not self.may_take(actor, transition):
                raise PermissionDenied(_("您的角色不能执行“%(label)s”") % {"label": transition.title})
            errors = ErrorCollector()
            for key in sorted(set(changes) - transition.fields):
                errors.add(key, _("“%(label)s”不能修改此字段") % {"label": transition.title}, "field_not_in_transition")
            errors.raise_if_any()
            instance = open_for_change(actor, model, pk, {self.state_field: transition.target, **changes},
                                       expected_version=expected_version)
            current = getattr(instance, self.state_field)
            if current not in transition.sources:
                # The state's display name where the field has choices, else the raw value.
                state_label = dict(instance._meta.get_field(self.state_field).flatchoices).get(current, current)
                raise TransitionError(_("当前状态“%(state)s”不能执行“%(label)s”") % {
                    "state": state_label, "label": transition.title})
            if transition.requires_note and not (note or "").strip():
                raise TransitionError(_("执行“%(label)s”必须填写说明") % {"label": transition.title})
            before = snapshot(instance)
            parsed = _parse_payload(transition, payload, errors)
            files = _own_attachments(model, instance.pk, attachments, errors)
            _apply_changes(instance, changes, errors)
            errors.raise_if_any()

            now = timezone.now()
            setattr(instance, self.state_field, transition.target)
            if _has_field(model, "entered_at"):
                instance.entered_at = now
            if _has_field(model, "due_at"):
                instance.due_at = _deadline(parsed)
            context = Context(self, transition, actor, instance, current, before, note, parsed, files)
            for guard in transition.guards:
                reason = guard(context)
                if reason:
                    raise TransitionError(str(reason))
            save_record(actor, instance, action=f"transition:{name}", before=before, note=note)
            context.event = WorkflowEvent.objects.create(
                workflow=self.name, object_type=model._meta.label, object_id=instance.pk, transition=name,
                from_state=current, to_state=transition.target, actor=actor if getattr(actor, "pk", None) else None,
                note=note, payload=parsed.model_dump(mode="json") if parsed is not None else {}, at=now,
            )
            if files:
                context.event.attachments.set(files)
            for effect in transition.effects:
                effect(context)
            return instance

    def apply_system_steps(self, actor, model: type[Model], steps, *, note: str = "",
                           audited: list | None = None, related=()) -> list[Model]:
        """The system actor's transitions on many records at once, [(pk, name, expected
        version)], set-based (core/workflow/steps.py): same checks, a step row and an audit
        record per record, a few statements in all."""
        from citysafe.core.workflow.steps import apply_system_steps

        return apply_system_steps(self, actor, model, steps, note=note, audited=audited, related=related)


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _parse_payload(transition: Transition, payload: dict | None, errors: ErrorCollector) -> BaseModel | None:
    if transition.payload is None:
        if payload:
            errors.add("payload", _("“%(label)s”不接受附加数据") % {"label": transition.title}, "payload_not_allowed")
        return None
    try:
        return transition.payload.model_validate(payload or {})
    except PydanticValidationError as exc:
        for problem in exc.errors():
            where = ".".join(str(part) for part in ("payload", *problem["loc"]))
            message = _payload_rule(problem)
            errors.add(where, _("附加数据不符合要求：%(rule)s") % {"rule": message}, "payload_invalid")
        return None


def _payload_rule(problem: dict) -> str:
    """A Chinese rule for pydantic's error types (its own messages are English); a schema's
    own validators raise ValueError with a Chinese message, passed on as it is."""
    kind = problem.get("type", "")
    if kind == "value_error":
        return str(problem["msg"]).removeprefix("Value error, ")
    rules = {
        "extra_forbidden": _("不接受此字段"), "missing": _("此字段为必填项"),
        "string_too_long": _("内容过长"), "string_too_short": _("内容过短"),
    }
    if kind in rules:
        return rules[kind]
    if kind.startswith(("date", "datetime")):
        return _("日期格式不正确（应为YYYY-MM-DD）")
    if kind.startswith(("int", "float", "decimal")):
        return _("必须是数字")
    if kind.startswith(("greater", "less")):
        return _("数值超出允许范围")
    if kind in ("literal_error", "enum"):
        return _("不是允许的取值")
    return _("格式不正确")


def _deadline(parsed: BaseModel | None):
    """The payload's `deadline`, if it has one: a date means the end of that day (local time)."""
    value = getattr(parsed, "deadline", None)
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _own_attachments(model: type[Model], pk, attachments, errors: ErrorCollector) -> list[Attachment]:
    """Only files that belong to this very record. The message is the same whether an id does
    not exist, belongs to another record or to one the actor cannot see."""
    ids = []
    for item in attachments or ():
        ids.append(item.pk if isinstance(item, Attachment) else item)
    if not ids:
        return []
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        wanted = None
    found = [] if wanted is None else list(Attachment.objects.filter(
        pk__in=wanted, owner_type=ContentType.objects.get_for_model(model), owner_id=pk))
    if wanted is None or len(found) != len(wanted):
        errors.add("attachments", _("只能附上本记录的附件（先在本记录下上传）"), "attachment_not_of_record")
    return found


def _apply_changes(instance: Model, changes: dict, errors: ErrorCollector) -> None:
    """Field values a transition sets: each through the model field's own validation
    (type, length, choices, validators); field limits were checked by open_for_change and
    the scope of the result is checked by save_record."""
    for key, value in changes.items():
        model_field = instance._meta.get_field(key)
        if model_field.is_relation:
            # A reference needs the reference rules (core.references): set it through the app's service.
            raise ValueError(f"transition field {key!r} is a relation; transitions set plain fields only")
        try:
            cleaned = model_field.clean(value, instance)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add(key, message, "invalid")
            continue
        setattr(instance, model_field.attname, cleaned)
