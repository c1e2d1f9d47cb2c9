"""The registry's own pages; the record pages are core's (core.kinds.views), built from
citysafe/registry/kinds.py."""
from citysafe.registry.views.enterprise_workflow import enterprise_attachment, enterprise_transition

__all__ = ["enterprise_transition", "enterprise_attachment"]
