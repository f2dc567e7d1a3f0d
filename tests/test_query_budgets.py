"""Query budgets: every page and export runs the same number of queries whatever the amount of
data (STYLE.md, rule 4). Each is rendered after generating 1 synthetic plan and again after 4
(four times the agencies' measures, reports and entries), and the counts must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import User
from operations import scale
from reporting.models import AnnualReport, ReportingCycle

PAGE_BUDGET = 15
SMALL, LARGE = 1, 4


def _world():
    """Users and objects of the first synthetic plan, found afresh after each generation."""
    cycle = ReportingCycle.objects.select_related("plan", "summary").get(
        plan__code="scale-0001", year=2019
    )
    report = (
        AnnualReport.objects.filter(cycle=cycle, state=AnnualReport.State.DRAFT)
        .order_by("agency__code")
        .first()
    )
    officer = User.objects.create_user(
        username=f"qb-officer-{report.pk}", agency=report.agency, role=User.Role.OFFICER
    )
    secretariat = User.objects.create_user(
        username=f"qb-secretariat-{cycle.pk}",
        agency=cycle.coordinator,
        role=User.Role.SECRETARIAT,
    )
    measure = cycle.plan.measures.get(number="1")
    return {
        "cycle": cycle,
        "plan": cycle.plan,
        "report": report,
        # Measure 1's entry reads the year's meetings as well (tests/commissions).
        "entry": report.entries.filter(measure__reports_commission_meetings=False)
        .order_by("measure__position")
        .first(),
        "measure": measure,
        "item": cycle.summary.items.order_by("measure__position").first(),
        "officer": officer,
        "secretariat": secretariat,
    }


# name: (who, url from the world, budget or None for exports)
PAGES = {
    "home (officer)": ("officer", lambda w: reverse("home")),
    "home (secretariat)": ("secretariat", lambda w: reverse("home")),
    "plan list": ("officer", lambda w: reverse("plan_list")),
    "plan page": ("officer", lambda w: w["plan"].get_absolute_url()),
    "plan page, filtered": (
        "officer",
        lambda w: f"{w['plan'].get_absolute_url()}?agency={w['report'].agency_id}&year=2019",
    ),
    "measure page": ("secretariat", lambda w: w["measure"].get_absolute_url()),
    "agency list": ("officer", lambda w: reverse("agency_list")),
    "agency page": ("officer", lambda w: w["report"].agency.get_absolute_url()),
    "report list": ("secretariat", lambda w: reverse("report_list")),
    "report page (officer)": ("officer", lambda w: w["report"].get_absolute_url()),
    "report page (secretariat)": ("secretariat", lambda w: w["report"].get_absolute_url()),
    "entry form": ("officer", lambda w: w["entry"].get_absolute_url()),
    "dashboard": ("secretariat", lambda w: reverse("cycle_dashboard", args=[w["cycle"].pk])),
    "summary page": ("secretariat", lambda w: reverse("summary_detail", args=[w["cycle"].pk])),
    "summary item edit": (
        "secretariat",
        lambda w: reverse("summary_item_edit", args=[w["cycle"].pk, w["item"].pk]),
    ),
    "audit log": ("secretariat", lambda w: reverse("audit_log")),
}
EXPORTS = {
    "summary XLSX": lambda w: reverse("summary_xlsx", args=[w["cycle"].pk]),
    "summary DOCX": lambda w: reverse("summary_docx", args=[w["cycle"].pk]),
    "entries XLSX": lambda w: reverse("cycle_entries_xlsx", args=[w["cycle"].pk]),
}


def _count(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _counts_at(size, client, requests) -> dict[str, int]:
    if scale.scale_data_exists():
        scale.scale_data_delete()  # the users of the previous size let go of their agencies
    scale.scale_data_generate(plans=size)
    world = _world()
    return {name: _count(client, world[who], url(world)) for name, (who, url) in requests.items()}


@pytest.mark.django_db
def test_pages_run_a_constant_number_of_queries(client):
    small = _counts_at(SMALL, client, PAGES)
    large = _counts_at(LARGE, client, PAGES)
    assert large == small
    over = {name: n for name, n in small.items() if n > PAGE_BUDGET}
    assert not over, f"over the budget of {PAGE_BUDGET}: {over}"


@pytest.mark.django_db
def test_exports_run_a_constant_number_of_queries(client):
    requests = {name: ("secretariat", url) for name, url in EXPORTS.items()}
    small = _counts_at(SMALL, client, requests)
    large = _counts_at(LARGE, client, requests)
    assert large == small
