"""The enterprise's own page pieces beside the generic record pages (core.kinds.views): the
operating-status workflow section on its detail page (the transition and upload views are in
views/enterprise_workflow.py)."""
from citysafe.registry.views.enterprise_workflow import workflow_context


def enterprise_detail_extras(request, obj) -> dict:
    """The detail page's workflow and attachments section (RecordKind.detail_extras of the enterprise kind)."""
    return workflow_context(request.user, obj)
