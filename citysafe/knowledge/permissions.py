"""Who writes the knowledge base (core.scope's tables). Everybody signed in reads it (PUBLIC);
anonymous visitors read what is published. Documents, articles, synonyms and cases are written
by the county safety office's administrators only: what the law says is not edited by the
people it regulates. Questions are asked by anyone (services.questions, no role) and answered
by admins and departments (the authorities that interpret the rules of their industry)."""
from citysafe.core import scope
from citysafe.core.roles import Role

ADMIN_ONLY = {scope.Action.CREATE: {Role.ADMIN}, scope.Action.CHANGE: {Role.ADMIN}, scope.Action.ARCHIVE: {Role.ADMIN}}
ANSWERERS = {Role.ADMIN, Role.DEPARTMENT}


def register() -> None:
    for label in ("knowledge.Document", "knowledge.Division", "knowledge.Article", "knowledge.Synonym",
                  "knowledge.AccidentCase"):
        scope.register_permissions(label, ADMIN_ONLY)
        scope.register_field_limits(label, {Role.ADMIN: scope.EVERY_FIELD})
    scope.register_permissions("knowledge.Question", {scope.Action.CHANGE: ANSWERERS})
    scope.register_field_limits("knowledge.Question", dict.fromkeys(ANSWERERS, scope.EVERY_FIELD))
