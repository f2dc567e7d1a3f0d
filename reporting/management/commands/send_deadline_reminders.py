from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting import services


class Command(BaseCommand):
    help = (
        "Queues today's reminders 7, 3 and 1 days before 20 January (officers of agencies that "
        "have not submitted) and before 10 February (the coordinator's secretariat, while the "
        "summary is not sent), for the task worker to mail. The scheduler does this daily "
        "(run_scheduler); running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        count = services.reminders_send(today=timezone.localdate())
        self.stdout.write(f"Reminders queued: {count}.")
