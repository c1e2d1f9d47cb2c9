"""System steps in bulk: the transitions the system actor takes on many records at once
(`Workflow.apply_system_steps`), for sensor- and schedule-driven work where `Workflow.apply`
per record — about twenty round trips each: load, permission, version, save, step row, audit —
is what limits the rate (the alarm evaluator clearing alarms, issue 11).

The same state machine and the same guarantees, set-based, inside the caller's transaction:
  1. every step names a transition of the workflow that the system may take (`system=True`)
     and that needs no note it lacks and no payload (TransitionError / PermissionDenied);
  2. the records are loaded and locked in one query, through the actor's write scope (a record
     outside it is missing: DoesNotExist), and each must still be at the expected version
     (StaleRecord) and in a source state of its transition (TransitionError) — nothing is
     written unless every step passes;
  3. guards run per record as in `apply`; then one UPDATE per target state (state, version + 1,
     entered_at, due_at, updated_at; the version again in the WHERE), one bulk INSERT of the
     WorkflowEvent rows, then the effects per record;
  4. the audit records ("transition:<name>", before/after snapshots): one `record_change_set` for
     every transition here, or, when the caller passes `audited`, appended there as (action, instance,
     before, after, note) for the caller to write with the rest of its round's audit records, last
     in its transaction (the alarm evaluator's lock order: records before the audit head).
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change_set, snapshot
from citysafe.core.concurrency import StaleRecord
from citysafe.core.models import WorkflowEvent


def apply_system_steps(workflow, actor, model: type[Model], steps, *, note: str = "",
                       audited: list | None = None, related=()) -> list[Model]:
    """`steps`: [(pk, transition name, expected version)]. Returns the changed records (in the
    order of `steps`). `related`: relations loaded with the records (select_related), which
    their str() — the audit record's label — reads. Call inside the caller's transaction (it
    opens a savepoint of its own)."""
    from citysafe.core.workflow.engine import Context, TransitionError, _has_field, is_system_actor

    steps = list(steps)
    if not steps:
        return []
    if not is_system_actor(actor):
        raise PermissionDenied(_("只有系统可以批量执行流程操作"))
    chosen = {}
    for _pk, name, _version in steps:
        transition = workflow.transitions.get(name)
        if transition is None:
            raise TransitionError(_("未知的流程操作：%(name)s") % {"name": name})
        if not transition.system:
            raise PermissionDenied(_("您的角色不能执行“%(label)s”") % {"label": transition.title})
        if transition.requires_note and not (note or "").strip():
            raise TransitionError(_("执行“%(label)s”必须填写说明") % {"label": transition.title})
        if transition.payload is not None:
            raise TransitionError(_("“%(label)s”需要附加数据，不能由系统批量执行") % {"label": transition.title})
        chosen[name] = transition
    if len({pk for pk, _name, _version in steps}) != len(steps):
        raise ValueError("one step per record in a call")
    state = workflow.state_field
    with transaction.atomic():
        scope.require(actor, model, scope.Action.CHANGE)
        # of=("self",): as core.records.load_for_write (scope filters may outer-join)
        rows = scope.narrow(actor, model.objects.select_related(*related).select_for_update(of=("self",)), for_write=True) \
            .filter(pk__in=[pk for pk, _name, _version in steps]).order_by("pk").in_bulk()
        now, contexts = timezone.now(), []
        for pk, name, expected in steps:
            instance, transition = rows.get(pk), chosen[name]
            if instance is None:
                raise model.DoesNotExist(f"{model._meta.label} {pk} is not there or not in the system's write scope")
            if instance.version != expected:
                raise StaleRecord(instance, expected, [])
            current = getattr(instance, state)
            if current not in transition.sources:
                state_label = dict(model._meta.get_field(state).flatchoices).get(current, current)
                raise TransitionError(_("当前状态“%(state)s”不能执行“%(label)s”") % {
                    "state": state_label, "label": transition.title})
            before = snapshot(instance)
            setattr(instance, state, transition.target)
            context = Context(workflow, transition, actor, instance, current, before, note, None, [])
            for guard in transition.guards:
                reason = guard(context)
                if reason:
                    raise TransitionError(str(reason))
            contexts.append(context)
        # the state changes: one UPDATE per target state. The rows are locked (FOR UPDATE above;
        # SQLite's IMMEDIATE transaction lets no other writer in) and their versions checked,
        # so the count can only differ if that guarantee broke: refuse rather than half-apply.
        values = {"version": F("version") + 1}
        for name in ("entered_at", "updated_at"):
            if _has_field(model, name):
                values[name] = now
        if _has_field(model, "due_at"):
            values["due_at"] = None
        for target in sorted({c.transition.target for c in contexts}):
            group = [c.instance for c in contexts if c.transition.target == target]
            if model.objects.filter(pk__in=[i.pk for i in group]).update(**{state: target}, **values) != len(group):
                raise StaleRecord(group[0], group[0].version, [])
        for context in contexts:
            instance = context.instance
            instance.version += 1
            for name in ("entered_at", "updated_at"):
                if _has_field(model, name):
                    setattr(instance, name, now)
            if _has_field(model, "due_at"):
                instance.due_at = None
        events = WorkflowEvent.objects.bulk_create([WorkflowEvent(
            workflow=workflow.name, object_type=model._meta.label, object_id=c.instance.pk,
            transition=c.transition.name, from_state=c.from_state, to_state=c.transition.target,
            actor=actor if getattr(actor, "pk", None) else None, note=note, payload={}, at=now) for c in contexts])
        for context, event in zip(contexts, events, strict=True):
            context.event = event
        changes = [(f"transition:{c.transition.name}", c.instance, c.before, snapshot(c.instance), note)
                   for c in contexts]
        if audited is not None:
            audited.extend(changes)
        else:
            record_change_set(actor=actor, entries=changes)
        for context in contexts:
            for effect in context.transition.effects:
                effect(context)
    by_pk = {c.instance.pk: c.instance for c in contexts}
    return [by_pk[pk] for pk, _name, _version in steps]
