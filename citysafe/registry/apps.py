from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "citysafe.registry"
    label = "registry"
    verbose_name = _("基础信息登记")

    def ready(self):
        from citysafe.core.kinds import register
        from citysafe.registry.kinds import KINDS

        register(*KINDS)

        from citysafe.core.validation import register_boundary_provider
        from citysafe.registry import permissions
        from citysafe.registry.boundary import county_outline

        permissions.register()  # who may write areas, industries, persons, enterprises, places (core.scope)
        register_boundary_provider(county_outline)  # the county area's outline bounds every location

        from citysafe.core.scope import register_county_source
        from citysafe.registry.counties import counties_for

        register_county_source(counties_for)  # which counties a user's rows lie in (core.scope, "counties")
        from citysafe.core.audit import register_chain_source
        from citysafe.registry.counties import audit_chains_for

        register_chain_source(audit_chains_for)  # which audit chains a user reads (the audit log page)
        from citysafe.core.audit import register_record_chains
        from citysafe.registry.audit_counties import record_chains

        register_record_chains(record_chains)  # the system's change to a county's record: that county's chain

        from citysafe.core.scheduler import register_job
        from citysafe.core.workflow.deadlines import register_sweep
        from citysafe.registry.io.tasks import sweep_stale_import_jobs
        from citysafe.registry.workflows import SUSPENSION_DEADLINE

        register_sweep(SUSPENSION_DEADLINE)  # reminders and escalation for suspension deadlines
        register_job("stale import job sweep", sweep_stale_import_jobs, every={"minutes": 5})

        from citysafe.core import todo
        from citysafe.registry.home import suspension_deadlines

        todo.register(suspension_deadlines)  # the home page's 待办: suspension deadlines within 7 days

        from citysafe.registry.nav import register_nav

        register_nav()  # the header's 基础数据 menu, 地图 and 系统配置 (core.nav)
