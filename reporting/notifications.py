"""Mail about reports. Called through transaction.on_commit: only what really happened is
announced, once."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import User
from reporting.models import AnnualReport, ReportingCycle, ReviewComment


def _addresses(**filters) -> list[str]:
    return list(
        User.objects.filter(is_active=True, **filters)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _send(template, report, recipients, **extra):
    context = {"report": report, "url": settings.SITE_URL + report.get_absolute_url(), **extra}
    subject = render_to_string(f"reporting/mail/{template}_subject.txt", context).strip()
    body = render_to_string(f"reporting/mail/{template}.txt", context)
    # One message per person: officials of different agencies do not see each other's address.
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    )


def _report(pk) -> AnnualReport:
    return AnnualReport.objects.select_related(
        "cycle__coordinator", "agency", "submitted_by", "reviewed_by"
    ).get(pk=pk)


def report_submitted(report_pk) -> None:
    """Tell the coordinator's secretariat that a report has come in."""
    report = _report(report_pk)
    recipients = _addresses(role=User.Role.SECRETARIAT, agency_id=report.cycle.coordinator_id)
    _send("report_submitted", report, recipients)


def report_reviewed(report_pk, comment_pk=None) -> None:
    """Tell the agency's officers that its report was accepted, returned or reopened, with the
    secretariat's comment on it."""
    report = _report(report_pk)
    recipients = _addresses(role=User.Role.OFFICER, agency_id=report.agency_id)
    comment = ReviewComment.objects.filter(pk=comment_pk).first() if comment_pk else None
    _send("report_reviewed", report, recipients, comment=comment)


def reminder(kind, cycle_pk, user_pk, days_before) -> None:
    """A reminder of a coming deadline to one person."""
    cycle = ReportingCycle.objects.select_related("plan", "coordinator").get(pk=cycle_pk)
    user = User.objects.select_related("agency").get(pk=user_pk)
    context = {
        "cycle": cycle,
        "user": user,
        "days": days_before,
        "url": settings.SITE_URL
        + (reverse("home") if kind == "report" else reverse("summary_detail", args=[cycle.pk])),
    }
    subject = render_to_string(f"reporting/mail/reminder_{kind}_subject.txt", context).strip()
    body = render_to_string(f"reporting/mail/reminder_{kind}.txt", context)
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])])
