"""Explicit workflow state machines.

A small module rather than django-fsm-2 / python-statemachine: what every CitySafe
workflow needs is a declarative transition table that names the roles allowed to take
each transition, a scope check on the record, an event row with attachments, an audit
record and optimistic concurrency, all in one transaction. Those libraries model the
transitions but not roles, scope, events or version checks, which we would still have to
wrap around them; a table plus one `apply` function is clearer.

A workflow model has a state field and an integer `version`; `apply` updates the row
only where the version is still the one the caller read, so a stale transition fails with
`TransitionConflict` instead of silently overwriting someone else's.
"""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.models import WorkflowEvent


class TransitionError(Exception):
    """The transition does not exist or is not allowed from the current state."""


class TransitionConflict(Exception):
    """The record changed since the caller read it (stale version)."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str = ""
    requires_note: bool = False


@dataclass
class Workflow:
    name: str
    state_field: str
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, name: str, sources, target: str, roles, label: str = "", requires_note: bool = False):
        self.transitions[name] = Transition(name, frozenset(sources), target, frozenset(roles), label, requires_note)
        return self

    def available(self, actor, instance: Model) -> list[Transition]:
        state = getattr(instance, self.state_field)
        return [t for t in self.transitions.values() if state in t.sources and actor.role in t.roles]

    def apply(self, actor, model: type[Model], pk, name: str, *, expected_version: int | None = None,
              note: str = "", attachments=(), extra_changes: dict | None = None) -> Model:
        with transaction.atomic():
            transition = self.transitions.get(name)
            if transition is None:
                raise TransitionError(_("未知的流程操作：%(name)s") % {"name": name})
            instance = scope.narrow(actor, model.objects.all()).get(pk=pk)  # 404 outside scope
            if actor.role not in transition.roles:
                raise PermissionDenied(_("您的角色不能执行“%(label)s”") % {"label": transition.label or name})
            current = getattr(instance, self.state_field)
            if current not in transition.sources:
                # The state's display name where the field has choices, else the raw value.
                state_label = dict(instance._meta.get_field(self.state_field).flatchoices).get(current, current)
                raise TransitionError(_("当前状态“%(state)s”不能执行“%(label)s”") % {
                    "state": state_label, "label": transition.label or name})
            if transition.requires_note and not note.strip():
                raise TransitionError(_("执行“%(label)s”必须填写说明") % {"label": transition.label or name})
            version = instance.version if expected_version is None else expected_version
            before = snapshot(instance)
            changes = {self.state_field: transition.target, "version": F("version") + 1, **(extra_changes or {})}
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                changes["updated_at"] = timezone.now()
            updated = model.objects.filter(pk=pk, version=version, **{self.state_field: current}).update(**changes)
            if updated != 1:
                raise TransitionConflict(_("记录已被他人修改，请刷新后重试"))
            instance.refresh_from_db()
            event = WorkflowEvent.objects.create(
                workflow=self.name, object_type=model._meta.label, object_id=str(pk), transition=name,
                from_state=current, to_state=transition.target, actor=actor, note=note,
            )
            if attachments:
                event.attachments.set(attachments)
            record_change(actor=actor, action=f"transition:{name}", instance=instance, before=before,
                          after=snapshot(instance), note=note)
            return instance
