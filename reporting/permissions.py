"""Who may do what with a report. Services enforce these; views use them to show buttons."""

from agencies.models import User
from reporting.models import AnnualReport, ReportingCycle


def can_file(user: User, cycle: ReportingCycle, agency) -> bool:
    """Officers file their own agency's reports; the secretariat files its own agency's too."""
    return (
        user.is_active
        and user.role in (User.Role.OFFICER, User.Role.SECRETARIAT)
        and user.agency_id is not None
        and user.agency_id == agency.pk
    )


def can_edit(user: User, report: AnnualReport) -> bool:
    return can_file(user, report.cycle, report.agency) and report.is_editable


def can_review(user: User, cycle: ReportingCycle) -> bool:
    """The secretariat of a cycle is the secretariat of the cycle's coordinator."""
    return (
        user.is_active
        and user.role == User.Role.SECRETARIAT
        and user.agency_id is not None
        and user.agency_id == cycle.coordinator_id
    )
