"""The registers' pages run a fixed number of queries however many meetings, decisions and
regional plans there are (STYLE.md, rule 4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, User
from commissions import services
from tests.commissions.conftest import D, national, protocol, regional

pytestmark = pytest.mark.django_db
PAGE_BUDGET = 15


def add_data(start, copies, secretariat, the_plan):
    """`copies` national meetings with two decisions each addressed to two agencies, and a
    meeting and a regional plan of as many akimats."""
    akimats = list(Agency.objects.filter(kind="akimat").order_by("code"))
    agencies = list(Agency.objects.filter(kind="ministry").order_by("code"))
    for n in range(start, start + copies):
        meeting = national(secretariat, D(2019, 1, 10 + n), f"q{n}", document=protocol())
        for k in range(2):
            services.decision_add(
                meeting=meeting, user=secretariat, number=str(k + 1), text="Решение",
                due_date=D(2019, 6, 1), agencies=agencies[k * 2 : k * 2 + 2],
            )  # fmt: skip
        officer = User.objects.get_or_create(
            username=f"q-{akimats[n].code}", defaults={"agency": akimats[n]}
        )[0]
        regional(officer, D(2019, 2, 1 + n), f"q{n}")
        services.regional_plan_record(
            plan=the_plan, agency=akimats[n], user=officer, act="Постановление",
            act_number=str(n), approved_on=D(2018, 10, 1 + n), document=protocol(),
        )  # fmt: skip


PAGES = {
    "meeting list": ("observer", lambda: reverse("meeting_list")),
    "meeting list (officer)": ("mon_officer", lambda: reverse("meeting_list")),
    "meeting page": (
        "mvd_secretariat",
        lambda: reverse("meeting_detail", args=[_first_national().pk]),
    ),
    "compliance": ("observer", lambda: reverse("commission_compliance")),
    "assignments": ("mvd_secretariat", lambda: reverse("assignment_list")),
    "assignments (officer)": ("mon_officer", lambda: reverse("assignment_list")),
    "regional plans": ("observer", lambda: reverse("regional_plan_list")),
}


def _first_national():
    from commissions.models import CommissionMeeting

    return CommissionMeeting.objects.filter(agency=None).order_by("pk").first()


def counts(client, users):
    result = {}
    for name, (who, url) in PAGES.items():
        client.force_login(users[who])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url()).status_code == 200, name
        result[name] = len(queries)
    return result


def test_the_registers_pages_run_a_constant_number_of_queries(
    client, observer, mon_officer, mvd_secretariat, the_plan
):
    users = {"observer": observer, "mon_officer": mon_officer, "mvd_secretariat": mvd_secretariat}
    add_data(0, 1, mvd_secretariat, the_plan)
    small = counts(client, users)
    add_data(1, 5, mvd_secretariat, the_plan)  # five more of each
    large = counts(client, users)
    assert large == small
    over = {name: n for name, n in small.items() if n > PAGE_BUDGET}
    assert not over, over
