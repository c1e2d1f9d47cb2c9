"""`manage.py run_alarm_evaluator`: evaluate the alarm rules of stored batches in a process of
its own (MONITORING_EVALUATION=process; see services/evaluator_process.py). SIGTERM/SIGINT
finish the round in hand and stop; kill -9 loses nothing (the queue is the watermark)."""
import signal

from django.core.management.base import BaseCommand
from django.db import connection

from citysafe.monitoring.services import evaluator_process


class Command(BaseCommand):
    help = "Alarm evaluator process: evaluates the batches ingest() queued (MONITORING_EVALUATION=process)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=None,
                            help="seconds between polls when idle (default: 1 on PostgreSQL, woken by NOTIFY "
                                 "before that; 0.05 on SQLite)")
        parser.add_argument("--max-batches", type=int, default=evaluator_process.MAX_BATCHES,
                            help="batches evaluated together in one transaction")
        parser.add_argument("--once", action="store_true", help="evaluate what is waiting, then exit")

    def handle(self, *args, interval=None, max_batches=50, once=False, **options):
        if once:
            self.stdout.write(f"evaluated {evaluator_process.drain(max_batches)} batches")
            return
        if interval is None:
            interval = 1.0 if connection.vendor == "postgresql" else 0.05
        stop = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.append(1))
        self.stdout.write(f"alarm evaluator ready (waiting: {evaluator_process.pending()} batches)")
        self.stdout.flush()
        evaluator_process.run(interval=interval, max_batches=max_batches, stopping=lambda: bool(stop))
        self.stdout.write("alarm evaluator stopped")
