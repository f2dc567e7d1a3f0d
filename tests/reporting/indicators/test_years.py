"""Indicators across years: the measure page, the dashboard and the agency page show each
indicator's totals by year, in a table (the numbers) and small charts (the same numbers)."""

import json

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Indicator, ReportingCycle
from tests.conftest import PLAN_CODE
from tests.reporting.indicators.test_summary_totals import report_with

pytestmark = pytest.mark.django_db


def cycle(year):
    return ReportingCycle.objects.get(plan__code=PLAN_CODE, year=year)


@pytest.fixture
def two_years(mvd_secretariat):
    """Measure 6: Almaty and Astana gave figures in 2018 (summary sent) and 2019 (submitted,
    no summary sent)."""
    report_with(cycle(2018), "akimat-almaty", {"helped": 10, "centre": True})
    report_with(cycle(2018), "akimat-astana", {"helped": 5, "centre": True})
    summary = services.summary_generate(cycle=cycle(2018), user=mvd_secretariat)
    services.summary_send(summary=summary, user=mvd_secretariat)
    report_with(cycle(2019), "akimat-almaty", {"helped": 40, "centre": False})
    report_with(cycle(2019), "akimat-astana", {"helped": 25, "centre": True})


def measure_url():
    return reverse("measure_detail", args=[PLAN_CODE, "6"])


def series(response, code):
    return next(s for s in response.context["indicator_series"] if s.indicator.code == code)


def test_the_measure_page_shows_totals_by_year(client, two_years, mvd_secretariat):
    client.force_login(mvd_secretariat)
    response = client.get(measure_url())
    helped = series(response, "helped")
    assert [(y.year, y.total, y.answered) for y in helped.years] == [
        (2018, 15, 2),
        (2019, 65, 2),
        (2020, None, 0),
    ]
    assert [y.total for y in series(response, "centre").years] == [2, 1, None]
    content = response.content.decode()
    assert 'data-year="2019">65<' in content
    # The chart's numbers are the table's, read by static/js/indicators.js, no inline script.
    chart = json.loads(
        content.split('id="indicator-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    helped_index = response.context["indicator_series"].index(helped)
    assert chart[helped_index]["data"] == [15, 65, None]
    assert chart[helped_index]["years"] == ["2018", "2019", "2020"]
    assert f'data-indicator-chart="{helped_index}"' in content
    assert "js/indicators.js" in content


def test_an_officer_sees_only_the_years_whose_summary_was_sent(client, two_years, mon_officer):
    client.force_login(mon_officer)
    helped = series(client.get(measure_url()), "helped")
    assert [y.total for y in helped.years] == [15, None, None]


def test_an_indicator_not_added_up_shows_how_many_answered(client, two_years, mvd_secretariat):
    Indicator.objects.filter(measure__number="6", code="helped").update(aggregation="none")
    client.force_login(mvd_secretariat)
    response = client.get(measure_url())
    helped = series(response, "helped")
    assert [y.total for y in helped.years] == [None, None, None]
    assert [y.answered for y in helped.years] == [2, 2, 0]
    assert not helped.charted


def test_the_dashboard_shows_the_plans_indicators_by_year(client, two_years, observer):
    client.force_login(observer)
    response = client.get(reverse("cycle_dashboard", args=[cycle(2019).pk]))
    assert [y.total for y in series(response, "helped").years] == [15, 65, None]
    assert (
        len(response.context["indicator_series"])
        == Indicator.objects.filter(measure__plan__code=PLAN_CODE).count()
    )


def test_the_agency_page_shows_its_own_figures(client, two_years, akimat_officer):
    client.force_login(akimat_officer)
    response = client.get(reverse("agency_detail", args=["akimat-almaty"]))
    assert [y.total for y in series(response, "helped").years] == [10, 40, None]
    assert [y.total for y in series(response, "centre").years] == [True, False, None]
    assert "да" in response.content.decode()
