"""What each importable / exportable registry list looks like in a workbook: its columns
(Chinese headers, rules, drop-down sources), how a row becomes the dict a registry service
takes, how a record becomes a ledger row, and the natural key that makes re-import an update.

The services stay the judges of validity; this module only translates between codes people
type and ids, and maps the services' field names back to column headers.
"""
from django.utils.translation import gettext as _

from citysafe.registry.io.kinds.base import ROW_LEVEL, Column, Kind, ParsedRow, codes_list, labels, text
from citysafe.registry.io.kinds.directories import AreaKind, IndustryKind, OrganisationKind
from citysafe.registry.io.kinds.enterprises import EnterpriseKind
from citysafe.registry.io.kinds.persons import PersonKind
from citysafe.registry.io.kinds.places import PlaceKind

KINDS: dict[str, Kind] = {k.name: k for k in (
    EnterpriseKind(), PersonKind(), PlaceKind(), OrganisationKind(), IndustryKind(), AreaKind())}
IMPORTABLE = ("enterprises", "persons", "places", "organisations", "industries")


def get_kind(name: str) -> Kind:
    """The workbook kind of a record kind: the registry's, or any app's that attached one to
    its declaration (core.kinds.RecordKind.io)."""
    from citysafe.core.kinds import registry

    if name in KINDS:
        return KINDS[name]
    try:
        declared = registry.get_kind(name).io
    except KeyError:
        declared = None
    if declared is not None:
        return declared
    raise ValueError(_("不支持的数据类型：%(name)s，可选：%(names)s") % {"name": name, "names": "、".join(KINDS)})


def declared_kinds() -> list[Kind]:
    """Workbook kinds other apps attached to their record kinds (core.kinds)."""
    from citysafe.core.kinds import registry

    return [k.io for k in registry.all_kinds() if k.io is not None and k.io.name not in KINDS]


def importable() -> tuple[str, ...]:
    """Kinds imported from workbooks: the registry's, then those other apps declared."""
    return (*IMPORTABLE, *(k.name for k in declared_kinds() if k.workbook_import))


def exportable() -> list[Kind]:
    return [*KINDS.values(), *declared_kinds()]


__all__ = ["ROW_LEVEL", "Column", "Kind", "ParsedRow", "KINDS", "IMPORTABLE", "get_kind", "codes_list", "labels",
           "text", "importable", "exportable"]
