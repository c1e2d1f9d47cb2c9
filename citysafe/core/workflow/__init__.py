"""The workflow toolkit (see docs/architecture.md, "How to write a workflow").

- `engine`: a declarative transition table (`Workflow`, `Transition`) and `Workflow.apply`,
  which takes a transition through the shared write path (core.records) with a required
  version, guards, a typed payload, attachments of the record itself and effects, all in
  one transaction;
- `system`: the system actor for scheduled and sensor-driven transitions;
- `deadlines`: deadline sweeps apps register (reminder before `due_at`, overdue after it,
  an escalation chain), run by one periodic job.
"""
from citysafe.core.workflow.engine import (  # noqa: F401
    Context,
    Transition,
    TransitionConflict,
    TransitionError,
    Workflow,
)
from citysafe.core.workflow.system import is_system_actor, system_actor  # noqa: F401
