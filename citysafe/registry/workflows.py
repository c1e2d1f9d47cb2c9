"""Enterprise operating status: relocation and closure tracking (REQUIREMENTS.md C6)."""
from django.utils.translation import gettext_lazy as _

from citysafe.core.roles import Role
from citysafe.core.workflow import Workflow
from citysafe.registry.models import Enterprise

S = Enterprise.OperatingStatus
REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}

ENTERPRISE_STATUS = (
    Workflow("enterprise_status", "operating_status")
    .add("suspend", {S.OPERATING}, S.SUSPENDED, REGULATORS, _("责令停产整顿"), requires_note=True)
    .add("resume", {S.SUSPENDED}, S.OPERATING, REGULATORS, _("恢复生产"))
    .add("start_relocation", {S.OPERATING, S.SUSPENDED}, S.RELOCATING, REGULATORS, _("启动搬迁改造"))
    .add("finish_relocation", {S.RELOCATING}, S.RELOCATED, REGULATORS, _("完成搬迁"))
    .add("close", {S.OPERATING, S.SUSPENDED, S.RELOCATING}, S.CLOSED, {Role.ADMIN, Role.DEPARTMENT},
         _("关闭取缔"), requires_note=True)
)
