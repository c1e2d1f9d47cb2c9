from citysafe.registry.views.enterprise_workflow import enterprise_attachment, enterprise_transition
from citysafe.registry.views.pages import (
    record_archive,
    record_create,
    record_detail,
    record_edit,
    record_list,
    record_purge,
    record_restore,
)

__all__ = ["record_list", "record_detail", "record_create", "record_edit", "record_archive", "record_purge",
           "record_restore", "enterprise_transition", "enterprise_attachment"]
