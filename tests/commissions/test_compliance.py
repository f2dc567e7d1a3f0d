"""Did every commission meet at least once every half-year (measure 1)? Half-years end on
30 June and 31 December, and a half-year counts as missed only once its last day has ended in
Kazakhstan."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from commissions import selectors
from commissions.compliance import HalfYear, add_months, plan_half_years
from tests.commissions.conftest import D, national, regional
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def cell(board, agency_code, year, half):
    row = next(r for r in board.rows if r.filter_code == agency_code)
    return next(c for c in row.cells if c.half == HalfYear(year, half))


def test_half_years_end_on_30_june_and_31_december():
    assert HalfYear.of(D(2019, 6, 30)) == HalfYear(2019, 1)
    assert HalfYear.of(D(2019, 7, 1)) == HalfYear(2019, 2)
    assert HalfYear.of(D(2019, 12, 31)) == HalfYear(2019, 2)
    assert HalfYear.of(D(2020, 1, 1)) == HalfYear(2020, 1)
    assert HalfYear(2019, 2).next() == HalfYear(2020, 1)


def test_the_plans_half_years_run_from_the_resolution_to_the_end_of_2020(the_plan):
    assert [h.key for h in plan_half_years(the_plan)] == [
        "2018-h2", "2019-h1", "2019-h2", "2020-h1", "2020-h2"
    ]  # fmt: skip


def test_a_month_after_the_resolution_is_1_november_2018():
    assert add_months(D(2018, 10, 1), 1) == D(2018, 11, 1)
    assert add_months(D(2019, 1, 31), 1) == D(2019, 2, 28)  # a month without the 31st
    assert add_months(D(2018, 12, 15), 1) == D(2019, 1, 15)


def test_meetings_count_in_the_half_year_of_their_day(the_plan, mvd_secretariat, akimat_officer):
    national(mvd_secretariat, D(2019, 6, 30), "1")  # the last day of the first half
    national(mvd_secretariat, D(2019, 7, 1), "2")  # the first day of the second
    regional(akimat_officer, D(2019, 12, 31), "5")
    regional(akimat_officer, D(2020, 1, 1), "1")

    board = selectors.compliance(plan=the_plan, today=D(2021, 1, 10))

    assert cell(board, "mvk", 2019, 1).count == 1
    assert cell(board, "mvk", 2019, 2).count == 1
    assert cell(board, "akimat-almaty", 2019, 2).state == selectors.MET
    assert cell(board, "akimat-almaty", 2020, 1).state == selectors.MET
    assert cell(board, "akimat-almaty", 2020, 2).state == selectors.MISSED


def test_a_commission_without_a_meeting_in_a_half_year_is_flagged(
    the_plan, mvd_secretariat, akimat_officer
):
    for number, day in enumerate([D(2018, 11, 5), D(2019, 3, 1), D(2019, 9, 1), D(2020, 4, 1)]):
        national(mvd_secretariat, day, str(number + 1))
    regional(akimat_officer, D(2019, 3, 1))

    board = selectors.compliance(plan=the_plan, today=D(2021, 2, 1))

    national_row = board.rows[0]
    assert national_row.agency is None
    assert [c.state for c in national_row.cells] == ["met", "met", "met", "met", "missed"]
    assert national_row.gaps == 1
    almaty = next(r for r in board.rows if r.filter_code == "akimat-almaty")
    assert almaty.gaps == 4
    # The 17 akimats of October 2018 and the national commission; 16 akimats never met.
    assert len(board.rows) == 18
    assert board.commissions_with_gaps == 18
    assert board.gaps == 1 + 4 + 16 * 5
    assert board.totals[1].met == 2  # the first half of 2019: МВК and Almaty


@pytest.mark.parametrize(
    ("utc", "first_half_2019"),
    [
        # 30 June, 23:30 in Almaty (UTC+6 then): the half-year has not ended yet.
        (datetime.datetime(2019, 6, 30, 17, 30, tzinfo=UTC), selectors.CURRENT),
        # 1 July, 00:30 in Almaty, although still 30 June in UTC: it has ended, with no meeting.
        (datetime.datetime(2019, 6, 30, 18, 30, tzinfo=UTC), selectors.MISSED),
    ],
)
def test_a_half_year_ends_at_midnight_in_almaty(the_plan, utc, first_half_2019):
    with time_machine.travel(utc, tick=False):
        board = selectors.compliance(plan=the_plan)
    assert cell(board, "mvk", 2019, 1).state == first_half_2019
    assert cell(board, "mvk", 2019, 2).state == (
        selectors.FUTURE if first_half_2019 == selectors.CURRENT else selectors.CURRENT
    )


@pytest.mark.parametrize(
    ("utc", "second_half"),
    [
        # 31 December 2024, 23:30 in Almaty, UTC+5 since 1 March 2024 (zoneinfo, not +6).
        (datetime.datetime(2024, 12, 31, 18, 30, tzinfo=UTC), selectors.CURRENT),
        (datetime.datetime(2024, 12, 31, 19, 30, tzinfo=UTC), selectors.MISSED),
    ],
)
def test_the_year_ends_at_midnight_in_almaty_after_the_2024_change(utc, second_half):
    assert datetime.datetime(2024, 12, 31, 19, 30, tzinfo=UTC).astimezone(
        ZoneInfo("Asia/Almaty")
    ) == datetime.datetime(2025, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    plan = PlanFactory(resolution_date=D(2024, 3, 1), start_year=2024, end_year=2024)
    with time_machine.travel(utc, tick=False):
        board = selectors.compliance(plan=plan)
    assert [c.half.key for c in board.rows[0].cells] == ["2024-h1", "2024-h2"]
    assert board.rows[0].cells[1].state == second_half


def test_the_page_shows_the_gaps(client, observer, the_plan, mvd_secretariat):
    national(mvd_secretariat, D(2019, 3, 1))
    client.force_login(observer)
    with time_machine.travel(datetime.datetime(2021, 3, 1, tzinfo=UTC)):
        response = client.get(reverse("commission_compliance"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="text-center halfyear-missed"') == 18 * 5 - 1
    assert content.count('class="text-center halfyear-met"') == 1
    assert "Пропусков: 89" in content


def test_the_page_is_for_the_secretariat_and_observers(client, mon_officer, akimat_officer):
    for user in (mon_officer, akimat_officer):
        client.force_login(user)
        assert client.get(reverse("commission_compliance")).status_code == 403


def test_another_plan_is_chosen_on_the_page(client, observer, the_plan):
    other = PlanFactory(
        code="plan-2021", resolution_date=D(2021, 3, 1), start_year=2021, end_year=2023
    )
    client.force_login(observer)
    default = client.get(reverse("commission_compliance"))
    assert default.context["plan"] == other  # the latest adopted
    assert default.context["show_plan_choice"]
    chosen = client.get(reverse("commission_compliance"), {"plan": the_plan.code})
    assert chosen.context["plan"] == the_plan
    assert len(chosen.context["board"].halves) == 5
    unknown = client.get(reverse("commission_compliance"), {"plan": "no-such-plan"})
    assert unknown.context["plan"] == other  # an unknown choice falls back to the default
