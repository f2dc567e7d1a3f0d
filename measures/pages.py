"""What the plan adds to pages of the apps below it (core.pages)."""

from core.pages import Contribution, register
from measures import selectors


def agency_assignments(*, agency, **_objects) -> Contribution:
    """The agency page: for each plan, year by year, the measures the agency answers for."""
    plans = selectors.agency_assignments(agency=agency)
    return Contribution("measures/includes/agency_assignments.html", {"plans": plans})


def register_all() -> None:
    register("agency", agency_assignments)
