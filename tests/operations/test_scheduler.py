"""The daily jobs: the deadline reminders are handed to the worker once a day at their time in
Asia/Almaty, however many schedulers run, and the worker sends them."""

import datetime
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from operations import scheduler
from operations.models import ScheduledRun
from reporting.models import Reminder

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def at(*args):
    return datetime.datetime(*args, tzinfo=ALMATY)


def test_nothing_before_the_time(mon_officer):
    assert scheduler.run_due(now=at(2020, 1, 13, 8, 59)) == []
    assert not ScheduledRun.objects.exists() and not DBTaskResult.objects.exists()


def test_once_a_day_at_its_time_or_after(mon_officer):
    assert scheduler.run_due(now=at(2020, 1, 13, 9, 0)) == ["deadline_reminders"]
    # A second scheduler (another app server), or the same one a minute later: nothing more.
    assert scheduler.run_due(now=at(2020, 1, 13, 9, 1)) == []
    assert scheduler.run_due(now=at(2020, 1, 13, 23, 59)) == []
    # A scheduler that was down at 9:00 catches up the same day.
    assert scheduler.run_due(now=at(2020, 1, 14, 15, 30)) == ["deadline_reminders"]
    assert list(ScheduledRun.objects.order_by("day").values_list("day", flat=True)) == [
        datetime.date(2020, 1, 13),
        datetime.date(2020, 1, 14),
    ]
    assert DBTaskResult.objects.count() == 2


def test_the_day_is_kazakhstans(mon_officer):
    # 03:30 UTC on 13 January is 09:30 in Almaty (UTC+6 in 2020): 13 January's run.
    scheduler.run_due(now=datetime.datetime(2020, 1, 13, 3, 30, tzinfo=datetime.UTC))
    assert ScheduledRun.objects.get().day == datetime.date(2020, 1, 13)


def test_the_worker_sends_the_days_reminders(mon_officer, mailoutbox, run_worker):
    with time_machine.travel(at(2020, 1, 13, 9, 0, 5)):
        scheduler.run_due()
        run_worker()
    assert Reminder.objects.filter(recipient=mon_officer, days_before=7).exists()
    assert ["mon_officer@example.kz"] in [m.to for m in mailoutbox]


def test_the_command_checks_once(mon_officer):
    out = io.StringIO()
    # The command drops stale database connections between checks; not the test's own.
    keep = mock.patch(
        "operations.management.commands.run_scheduler.close_old_connections", lambda: None
    )
    with keep, time_machine.travel(at(2020, 1, 17, 10, 0)):
        call_command("run_scheduler", once=True, stdout=out)
        call_command("run_scheduler", once=True, stdout=out)
    assert out.getvalue().splitlines() == ["Enqueued: deadline_reminders"]
