"""Who may change construction records (registered with core.scope in ready()).

- Projects are registered by the county office, the townships (属地) and, among the
  departments, only the housing and construction bureau (住建局, organisation code zjj): it
  regulates building and municipal works (管行业必须管安全). Enterprise officers read the
  projects they build or carry out.
- High-danger works and work permits are also kept by the contractor's own safety officer
  (the enterprise officer of the 施工单位): the works and permits are the contractor's records.
- The standards tables (scale thresholds, permit rules, gas limits) are edited in the admin site.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
SITE_KEEPERS = REGULATORS | {Role.ENTERPRISE}
HOUSING_BUREAU = {"zjj"}

PERMISSIONS = {
    "construction.ConstructionProject": dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), REGULATORS),
    "construction.HighDangerWork": dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), SITE_KEEPERS),
    "construction.WorkPermit": dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), SITE_KEEPERS),
}
STANDARDS = ("construction.ScaleThreshold", "construction.PermitRule", "construction.GasLimit")


def register() -> None:
    for label, actions in PERMISSIONS.items():
        roles = set().union(*actions.values())
        register_permissions(label, actions, organisations={Role.DEPARTMENT: HOUSING_BUREAU})
        register_field_limits(label, dict.fromkeys(roles, EVERY_FIELD))
    for label in STANDARDS:
        register_permissions(label, {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: set()})
