"""Who may write accounts records: registered with core.scope in AccountsConfig.ready().
Organisations, user accounts and API tokens are configuration: only the county safety office
(admin) manages them."""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, register_field_limits, register_permissions


def register() -> None:
    register_permissions("accounts.Organisation", {
        Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}})
    register_permissions("accounts.User", {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}})
    register_permissions("accounts.ApiToken", {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}})
    register_field_limits("accounts.Organisation", {Role.ADMIN: EVERY_FIELD})
