from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting import services


class Command(BaseCommand):
    help = (
        "Mails reminders 7, 3 and 1 days before 20 January (officers of agencies that have not "
        "submitted) and before 10 February (the coordinator's secretariat, while the summary is "
        "not sent). Meant for cron, once a day; running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        count = services.reminders_send(today=timezone.localdate())
        self.stdout.write(f"Reminders sent: {count}.")
