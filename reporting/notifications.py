"""Mail about reports, queued in the transaction of the change it announces (core.mail): a
change that rolls back announces nothing, one that commits always does, and the worker delivers
it whatever the state of the mail server."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import User
from core.mail import queue_mail
from reporting.models import AnnualReport, ReportingCycle, ReviewComment


def _addresses(**filters) -> list[str]:
    return list(
        User.objects.filter(is_active=True, **filters)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _queue(template, context, recipients) -> int:
    subject = render_to_string(f"reporting/mail/{template}_subject.txt", context).strip()
    body = render_to_string(f"reporting/mail/{template}.txt", context)
    return len(queue_mail(recipients=recipients, subject=subject, body=body))


def _report_context(report: AnnualReport, **extra) -> dict:
    return {"report": report, "url": settings.SITE_URL + report.get_absolute_url(), **extra}


def report_submitted(report: AnnualReport) -> None:
    """Tell the coordinator's secretariat that a report has come in. `report` has its cycle
    and agency loaded."""
    recipients = _addresses(role=User.Role.SECRETARIAT, agency_id=report.cycle.coordinator_id)
    _queue("report_submitted", _report_context(report), recipients)


def report_reviewed(report: AnnualReport, comment: ReviewComment | None = None, remarks=()) -> None:
    """Tell the agency's officers that its report was accepted, returned or reopened, with the
    secretariat's comment on it and its remarks on single entries."""
    recipients = _addresses(role=User.Role.OFFICER, agency_id=report.agency_id)
    context = _report_context(report, comment=comment, remarks=remarks)
    _queue("report_reviewed", context, recipients)


def reminder(kind: str, cycle: ReportingCycle, user: User, days_before: int) -> None:
    """A reminder of a coming deadline to one person."""
    path = reverse("home") if kind == "report" else reverse("summary_detail", args=[cycle.pk])
    context = {"cycle": cycle, "user": user, "days": days_before, "url": settings.SITE_URL + path}
    _queue(f"reminder_{kind}", context, [user.email])
