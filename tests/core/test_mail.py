"""Mail never fails a person's work: it is queued with the change and delivered by the worker,
retried while the mail server is down, given up on visibly after the last attempt, and sent
again by hand. Against a real SMTP server (aiosmtpd) that is down, then up."""

import datetime
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import OutgoingMail
from reporting import services
from reporting.models import AnnualReport
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received: (recipients, raw message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A mail server on a free port, down until `start()`."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    inbox.start = controller.start
    yield inbox
    if controller._thread is not None:
        controller.stop()


def submit_in_the_browser(client, report, officer):
    client.force_login(officer)
    return client.post(reverse("report_submit", args=[report.pk]), follow=True)


def test_a_submission_with_the_mail_server_down_succeeds_and_its_mail_arrives_once(
    client, smtp, mon_filled, mon_officer, mvd_secretariat, run_worker
):
    response = submit_in_the_browser(client, mon_filled, mon_officer)
    assert response.status_code == 200
    assert "Отчёт представлен координатору." in response.content.decode()
    mon_filled.refresh_from_db()
    assert mon_filled.state == AnnualReport.State.SUBMITTED

    run_worker()  # the server is down: the attempt fails and is put off
    mail = OutgoingMail.objects.get()
    assert (mail.to, mail.status, mail.attempts) == ("mvd_secretariat@example.kz", "queued", 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.next_attempt_at > timezone.now()
    run_worker()  # too early for the next attempt
    mail.refresh_from_db()
    assert mail.attempts == 1

    smtp.start()
    with time_machine.travel(mail.next_attempt_at + datetime.timedelta(seconds=1)):
        run_worker()
        run_worker()
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["mvd_secretariat@example.kz"]
    assert "2019" in message
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 2)


def test_each_attempt_waits_longer(
    settings, smtp, mon_filled, mon_officer, mvd_secretariat, run_worker
):
    settings.MAIL_RETRY_DELAY = 60
    services.report_submit(report=mon_filled, user=mon_officer)
    delays = []
    now = timezone.now()
    for _attempt in range(3):
        with time_machine.travel(now):
            run_worker()
        mail = OutgoingMail.objects.get()
        delays.append(round((mail.next_attempt_at - now).total_seconds()))
        now = mail.next_attempt_at + datetime.timedelta(seconds=1)
    assert delays[0] == 60
    assert delays[1] in (120, 121) and delays[2] in (240, 241)


def test_after_the_last_attempt_the_mail_waits_for_an_admin_who_sends_it_again(
    client, settings, smtp, mon_filled, mon_officer, mvd_secretariat, admin_user, run_worker
):
    settings.MAIL_MAX_ATTEMPTS = 2
    services.report_submit(report=mon_filled, user=mon_officer)
    now = timezone.now()
    for _attempt in range(3):
        with time_machine.travel(now):
            run_worker()
        now += datetime.timedelta(hours=2)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.next_attempt_at) == ("failed", 2, None)

    client.force_login(admin_user)
    changelist = reverse("admin:core_outgoingmail_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "mvd_secretariat@example.kz" in page and "Не доставлено" in page

    smtp.start()
    response = client.post(
        changelist, {"action": "send_again", "_selected_action": [mail.pk]}, follow=True
    )
    assert "Снова в очереди писем: 1" in response.content.decode()
    run_worker()
    assert len(smtp.messages) == 1
    mail.refresh_from_db()
    assert mail.status == "sent"


def test_only_superusers_send_mail_again(client, mvd_secretariat):
    mvd_secretariat.is_staff = True
    mvd_secretariat.save()
    client.force_login(mvd_secretariat)
    # Staff without the model's permissions do not see the queue at all.
    assert client.get(reverse("admin:core_outgoingmail_changelist")).status_code == 403


def test_a_rolled_back_change_queues_nothing(
    mon_filled, mon_officer, mvd_secretariat, mailoutbox, run_worker
):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_submit(report=mon_filled, user=mon_officer)
        assert OutgoingMail.objects.count() == 1  # queued inside the change's transaction
        raise RuntimeError("the change fails after the mail was queued")
    assert not OutgoingMail.objects.exists() and not DBTaskResult.objects.exists()
    run_worker()
    assert mailoutbox == []
    mon_filled.refresh_from_db()
    assert mon_filled.state == AnnualReport.State.DRAFT


def test_one_message_per_recipient_none_sees_the_others(
    mon_filled, mon_officer, mvd_secretariat, mailoutbox, run_worker
):
    from tests.factories import UserFactory

    UserFactory(
        username="mvd2",
        email="two@mvd.example.kz",
        agency=mvd_secretariat.agency,
        role="secretariat",
    )
    services.report_submit(report=mon_filled, user=mon_officer)
    run_worker()
    assert sorted(m.to for m in mailoutbox) == [
        ["mvd_secretariat@example.kz"],
        ["two@mvd.example.kz"],
    ]
    assert all(not m.cc and not m.bcc for m in mailoutbox)


def test_the_sign_in_page_works_while_the_mail_server_is_down(client, smtp, mon_officer):
    response = client.post(
        reverse("login"), {"username": mon_officer.username, "password": PASSWORD}
    )
    assert response.status_code == 302
