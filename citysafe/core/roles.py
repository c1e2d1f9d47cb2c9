"""The roles of the platform (REQUIREMENTS.md "Users"). They live in core because data scope
(core.scope) and every app's permission table are written in their terms; the user model
(accounts.User.role) takes its choices from here."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("县安委办管理员")
    LEADER = "leader", _("领导")
    DEPARTMENT = "department", _("行业主管部门")
    TOWNSHIP = "township", _("乡镇")
    GRID = "grid", _("网格员")
    ENTERPRISE = "enterprise", _("企业安全管理员")
    # 州（市）安委办: reads and compares every county under its area; writes only where an
    # app's permission table names it (annual assessment of the counties, warnings).
    PREFECTURE = "prefecture", _("州（市）安委办")
