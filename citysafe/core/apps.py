from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "citysafe.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self):
        from citysafe.core import checks  # noqa: F401  (registers the scope system checks)
        from citysafe.core.scheduler import register_job
        from citysafe.core.tasks import prune_task_results, reclaim_abandoned_jobs, refresh_query_statistics
        from citysafe.core.workflow.tasks import sweep_deadlines

        register_job("prune finished task results", prune_task_results, cron={"hour": 3, "minute": 17})
        # One job runs every deadline sweep the apps register (core.workflow.deadlines.register_sweep).
        register_job("workflow deadline sweep", sweep_deadlines, every={"minutes": 5})
        # Jobs a killed worker left RUNNING are run again (core/taskqueue.py, both task backends).
        register_job("reclaim abandoned jobs", reclaim_abandoned_jobs, every={"minutes": 1})
        # SQLite's planner statistics (PostgreSQL: autovacuum); `manage.py analyze_database` runs it now.
        register_job("refresh query statistics", refresh_query_statistics, cron={"hour": 2, "minute": 43})
