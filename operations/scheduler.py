"""The portal's daily jobs. The scheduler process (`python manage.py run_scheduler`, started by
`make run` and `make serve`, and by systemd in production) hands each job to the task worker
once a day, at its time in Asia/Almaty or at its first check after that time (a scheduler that
was down at 09:00 catches up the same day). Any number of schedulers may run: the day's run is a
row with a unique key (ScheduledRun), so a job is enqueued once."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from operations.models import ScheduledRun
from reporting.tasks import send_reminders


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    at: datetime.time  # in Asia/Almaty


def jobs() -> list[Job]:
    return [
        # Reminders 7, 3 and 1 days before 20 January and 10 February; sent once per person
        # and deadline whatever the schedule does (reporting.services.reminders_send).
        Job(
            "deadline_reminders", send_reminders, datetime.time.fromisoformat(settings.REMINDERS_AT)
        ),
    ]


def run_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come today and that has not been enqueued today;
    returns their names."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in jobs():
        if local.time() < job.at:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, day=local.date())
                job.task.enqueue()
        except IntegrityError:  # enqueued today already, by this scheduler or another
            continue
        started.append(job.name)
    return started
