"""What the commissions' registers add to pages of the apps below them (core.pages)."""

from django.utils.translation import gettext as _

from commissions import selectors
from core.pages import Contribution, register


def home_assignments(*, user) -> Contribution | None:
    """The home page of an agency: how many decisions of the commission addressed to it are
    open, and how many overdue."""
    if not user.agency_id:
        return None
    counts = selectors.open_assignment_counts(agency=user.agency)
    return Contribution("commissions/includes/home_assignments.html", {"assignments": counts})


def entry_meetings(*, report, entry) -> Contribution | None:
    """Measure 1's entry (the commissions' work): the year's meetings of the agency's
    commission, and a button that puts them at the start of the narrative (nothing is saved)."""
    if not entry.measure.reports_commission_meetings:
        return None
    meetings = selectors.commission_meetings_in_year(agency=report.agency, year=report.cycle.year)

    def insert_meetings(data):
        data["narrative"] = selectors.narrative_with_meetings(
            meetings=meetings, agency=report.agency, narrative=data.get("narrative", "")
        )
        return data, _(
            "Сведения о заседаниях вставлены в начало текста. Проверьте его и сохраните."
        )

    return Contribution(
        "commissions/includes/entry_meetings.html",
        {"meetings_panel": True, "meetings": meetings},
        actions={"insert_meetings": insert_meetings},
    )


def register_all() -> None:
    register("home", home_assignments)
    register("entry", entry_meetings)
