"""Tasks of the worker for reports (README, "Background work")."""

from django.utils import timezone
from django_tasks import task

from reporting import services


@task()
def send_reminders() -> int:
    """The day's deadline reminders (`services.reminders_send`); the scheduler runs it daily."""
    return services.reminders_send(today=timezone.localdate())
