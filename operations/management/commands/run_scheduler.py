import signal
import sys
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from operations import scheduler


class Command(BaseCommand):
    help = (
        "Hands the portal's daily jobs (the deadline reminders) to the task worker at their "
        "time in Asia/Almaty; runs until stopped. `--once` checks once and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args, once=False, interval=30.0, **options):
        # Stopping is always safe: enqueueing a job is one transaction, rolled back if cut.
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, lambda signum, frame: sys.exit(0))
        while True:
            close_old_connections()
            for name in scheduler.run_due():
                self.stdout.write(f"Enqueued: {name}")
            if once:
                return
            time.sleep(interval)
