"""Mail, delivered outside the request: a change queues its messages in its own transaction
(`queue_mail`), and the task worker (`python manage.py db_worker`) delivers them, retrying a
failed delivery with a growing delay. So a mail server that is down never turns saved work into
an error page, a rolled-back change sends nothing, and no message is lost: what cannot be
delivered after settings.MAIL_MAX_ATTEMPTS tries waits in the admin («Почта: очередь писем») to
be sent again."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from core.models import OutgoingMail
from core.tasks import deliver_mail

logger = logging.getLogger(__name__)
ERROR_LENGTH = 2000


def queue_mail(*, recipients: Iterable[str], subject: str, body: str) -> list[OutgoingMail]:
    """One message per recipient (officials of different agencies do not see each other's
    addresses), written and handed to the worker in the current transaction: call it inside the
    transaction of the change the mail announces."""
    messages = [
        OutgoingMail.objects.create(
            to=address, subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL
        )
        for address in recipients
    ]
    for message in messages:
        deliver_mail.enqueue(message.pk)
    return messages


def retry_delay(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: the first delay, doubled each time, at most an hour."""
    seconds = settings.MAIL_RETRY_DELAY * 2 ** (attempts - 1)
    return datetime.timedelta(seconds=min(seconds, 3600))


def deliver(mail_id: int) -> str:
    """Send one queued message (the worker's task). Returns what became of it. A failure is
    recorded and the message queued again later; after the last attempt it stays failed."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return "nothing to do"  # already sent, given up on, or gone
        mail.attempts += 1
        try:
            EmailMessage(mail.subject, mail.body, mail.from_email, [mail.to]).send()
        except Exception as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
            if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
                mail.next_attempt_at = None
                logger.error("Mail %s to %s failed for good: %s", mail.pk, mail.to, error)
            else:
                mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
                deliver_mail.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
                logger.warning("Mail %s to %s failed, retrying: %s", mail.pk, mail.to, error)
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.next_attempt_at = None
        mail.save()
    return mail.status


def mail_retry(*, mails) -> int:
    """Queue failed messages again from the start (an admin's action once the mail server is
    back). Returns how many."""
    count = 0
    with transaction.atomic():
        for mail in mails.select_for_update().filter(status=OutgoingMail.Status.FAILED):
            mail.status = OutgoingMail.Status.QUEUED
            mail.attempts = 0
            mail.next_attempt_at = None
            mail.save(update_fields=["status", "attempts", "next_attempt_at"])
            deliver_mail.enqueue(mail.pk)
            count += 1
    return count
