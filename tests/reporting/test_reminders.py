import datetime

import pytest
from django.core.management import call_command

from agencies.models import Agency
from reporting import services
from reporting.models import Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def remind(mailoutbox, run_worker):
    """The reminders of `day`, delivered; the outbox holds only them (mail queued before, such
    as a submission's, goes out and is cleared first)."""

    def remind_on(day):
        run_worker()
        mailoutbox.clear()
        count = services.reminders_send(today=day)
        run_worker()
        return count

    return remind_on


@pytest.fixture
def officers(mon_officer, akimat_officer):
    """МОН has submitted 2019; Almaty has a draft; МИД has not started; МИД's second officer has
    no e-mail address."""
    UserFactory(
        username="mid_officer",
        email="mid@example.kz",
        agency=Agency.objects.get(code="mid"),
        role="officer",
    )
    UserFactory(
        username="mid_no_mail", email="", agency=Agency.objects.get(code="mid"), role="officer"
    )
    return mon_officer, akimat_officer


def test_seven_days_before_20_january(
    officers, mon_filled, mon_officer, cycle_2019, mailoutbox, remind
):
    services.report_submit(report=mon_filled, user=mon_officer)
    services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="akimat-almaty"))
    count = remind(datetime.date(2020, 1, 13))
    recipients = {m.to[0] for m in mailoutbox}
    assert "mon_officer@example.kz" not in recipients  # submitted
    assert {"almaty_officer@example.kz", "mid@example.kz"} <= recipients
    assert count == len(mailoutbox) == len(recipients)
    message = next(m for m in mailoutbox if m.to == ["mid@example.kz"])
    assert "2019" in message.subject and "7" in message.subject
    assert "20 января 2020" in message.body


def test_running_twice_on_the_same_day_sends_nothing_twice(officers, mailoutbox, remind):
    first = remind(datetime.date(2020, 1, 17))
    assert first > 0
    mailoutbox.clear()
    assert remind(datetime.date(2020, 1, 17)) == 0
    assert mailoutbox == []
    # The next reminder (1 day before) goes out on its own day.
    assert remind(datetime.date(2020, 1, 19)) == first


def test_no_reminder_on_other_days(officers, mailoutbox, remind):
    for day in (datetime.date(2020, 1, 12), datetime.date(2020, 1, 20), datetime.date(2020, 1, 21)):
        assert remind(day) == 0
    assert mailoutbox == [] and not Reminder.objects.exists()


def test_the_summary_reminder_goes_to_the_coordinators_secretariat(
    mvd_secretariat, mtszn_secretariat, mailoutbox, remind
):
    remind(datetime.date(2020, 2, 7))  # 3 days before
    assert [m.to for m in mailoutbox] == [["mvd_secretariat@example.kz"]]
    assert "Сводная информация за 2019 год" in mailoutbox[0].subject


def test_no_summary_reminder_once_it_is_sent(
    mon_filled, mon_officer, mvd_secretariat, mailoutbox, remind
):
    services.report_submit(report=mon_filled, user=mon_officer)
    summary = services.summary_generate(cycle=mon_filled.cycle, user=mvd_secretariat)
    services.summary_send(summary=summary, user=mvd_secretariat)
    assert remind(datetime.date(2020, 2, 9)) == 0


def test_the_command(officers, capsys, mailoutbox):
    import time_machine

    with time_machine.travel(datetime.datetime(2020, 1, 19, 6, tzinfo=datetime.UTC)):
        call_command("send_deadline_reminders")
    assert "Reminders queued:" in capsys.readouterr().out
    assert Reminder.objects.filter(days_before=1).exists()


def test_returned_reports_are_reminded(
    mon_filled, mon_officer, mvd_secretariat, mailoutbox, remind
):
    services.report_submit(report=mon_filled, user=mon_officer)
    services.report_return(report=mon_filled, user=mvd_secretariat, comment="Доработайте.")
    remind(datetime.date(2020, 1, 19))
    assert ["mon_officer@example.kz"] in [m.to for m in mailoutbox]
