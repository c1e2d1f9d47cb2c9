"""Personal data a user is shown: one policy for pages, the API, map popups and every export.

Who sees what
- ID numbers (身份证号码) in full only to the roles that keep the real-name registry, i.e.
  those who may change persons (`scope.may(user, Person, CHANGE)`: admin, department, township,
  grid worker, enterprise officer — each only inside their data scope). They need the number
  to tell people apart and to re-import a ledger, whose person key is the ID number.
  Everyone else (the read-only leader) sees it masked: region, then stars, then the last four
  characters (``622926********0064``).
- Lists (page tables, API list items) show a masked ID number to everyone: a list tells people
  apart by name, phone and masked number; the full number is on the detail for those allowed.
- Details and exports (Excel ledger, GeoJSON; page, background job and command, including
  person cells such as 安全管理负责人 "姓名/身份证号码") follow the detail rule. Map popups
  carry no personal data today; whatever personal field is added to them asks `id_number_for`.
- Phones stay in full for every role that may see the person: they are the working contact
  channel of safety supervision and, with the name, the natural key of a person without an
  ID number (a person cell "姓名/电话"). Masking them would stop the leader reaching anyone.

A masked ID number in a re-imported ledger never replaces the stored number: see
`registry.io.person_refs` (person cells) and `registry.io.kinds.persons` (the 人员 sheet).
"""
import re

from citysafe.core import scope
from kernels.codes import mask_id_number

__all__ = ["sees_full_id_numbers", "id_number_for", "mask_id_number", "is_masked_id_number",
           "masked_id_number_matches"]

PERSON = "registry.Person"
# What mask_id_number makes of an 18-character ID number.
MASKED_ID_NUMBER = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")


def sees_full_id_numbers(user) -> bool:
    return scope.may(user, PERSON, scope.Action.CHANGE)


def id_number_for(user, value: str, *, listing: bool = False, full: bool | None = None) -> str:
    """`value` as `user` may see it. `full`: the answer of sees_full_id_numbers when the
    caller has it already (exports ask once per run, not once per row)."""
    if not value:
        return ""
    if listing:
        return mask_id_number(value)
    if full is None:
        full = sees_full_id_numbers(user)
    return value if full else mask_id_number(value)


def is_masked_id_number(value: str) -> bool:
    return bool(MASKED_ID_NUMBER.match((value or "").upper()))


def masked_id_number_matches(masked: str, id_number: str) -> bool:
    return bool(id_number) and mask_id_number(id_number.upper()) == masked.upper()


# ---- people who report to the platform from outside (举报人) ----------------------------------
# A whistle-blower's identity is seen by the county safety office only (安全生产法 第七十三条:
# the receiving authority keeps the reporter confidential); every other role, list and export
# gets the masked form, the public pages nothing at all.

def sees_reporter_identity(user) -> bool:
    from citysafe.core.roles import Role

    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.ADMIN)


def mask_name(value: str) -> str:
    return f"{value[0]}{'*' * max(len(value) - 1, 1)}" if value else ""


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 8 else "*" * len(value)


def reporter_for(user, name: str, phone: str) -> tuple[str, str]:
    """(name, phone) of a reporter as `user` may see them."""
    if sees_reporter_identity(user):
        return name, phone
    return mask_name(name), mask_phone(phone)


def reporter_field_for(user, name: str, value: str) -> str:
    """One reporter field ("reporter_name" / "reporter_phone") as `user` may see it."""
    if sees_reporter_identity(user):
        return value
    return mask_phone(value) if name == "reporter_phone" else mask_name(value)
