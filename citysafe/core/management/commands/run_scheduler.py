import signal

from django.core.management.base import BaseCommand

from citysafe.core.scheduler import build_scheduler, enqueue_scheduled, schedules


class Command(BaseCommand):
    help = "Run the scheduler: enqueues periodic background jobs (run the worker with `db_worker` to execute them)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", dest="list_only", help="Print the schedule table and exit.")
        parser.add_argument("--once", action="store_true", help="Enqueue every scheduled job once now and exit.")

    def handle(self, *args, list_only=False, once=False, **options):
        table = schedules()
        if list_only:
            for schedule in table:
                self.stdout.write(f"{schedule.name}\t{schedule.trigger}\t{schedule.task.module_path}")
            return
        if once:
            for schedule in table:
                enqueued = enqueue_scheduled(schedule)
                self.stdout.write(f"{schedule.name}: {'enqueued' if enqueued else 'already waiting'}")
            return
        scheduler = build_scheduler(table)

        def stop(signum, frame):
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler started with {len(table)} schedule(s).")
        scheduler.start()
        self.stdout.write("Scheduler stopped.")
