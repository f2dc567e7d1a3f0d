"""report_open: one entry for each measure the agency answers for in the cycle's year."""

import pytest

from agencies.models import Agency
from reporting import services
from reporting.models import AnnualReport, ReportEntry
from tests.factories import (
    AgencyFactory,
    MeasureFactory,
    ResponsibilityFactory,
)
from tests.reporting.conftest import cycle_of

pytestmark = pytest.mark.django_db

SUB_3 = [f"3.{i}" for i in range(1, 8)]
MVD_ALL_YEARS = [
    "2", *SUB_3, "5", "7", "9", "10", "11", "12", "13", "15", "16", "17", "18", "19", "20",
    "22", "24", "27",
]  # fmt: skip


def numbers(year, code):
    report = services.report_open(cycle=cycle_of(year), agency=Agency.objects.get(code=code))
    return list(
        report.entries.order_by("measure__position").values_list("measure__number", flat=True)
    )


def test_mvd_answers_measure_1_for_2018_and_2019_only():
    assert numbers(2018, "mvd") == ["1", *MVD_ALL_YEARS[:22], "23", *MVD_ALL_YEARS[22:], "28"]
    assert numbers(2019, "mvd") == ["1", *MVD_ALL_YEARS[:22], "23", *MVD_ALL_YEARS[22:]]
    assert numbers(2020, "mvd") == MVD_ALL_YEARS


def test_mtszn_takes_measure_1_over_in_2020():
    common = ["3.4", "7", "10", "12", "14", "15", "18", "22"]
    assert numbers(2018, "mtszn") == [*common, "28"]
    assert numbers(2019, "mtszn") == common
    assert numbers(2020, "mtszn") == ["1", *common, "29"]


def test_an_akimat():
    expected = ["1", "3.4", "4", "6", "7", "12", "13", "14", "15", "17", "18"]
    for year in (2018, 2019, 2020):
        assert numbers(year, "akimat-turkestan") == expected


def test_a_body_by_agreement():
    expected = ["2", "3.4", "3.6", "3.7", "4", "5", "10", "11", "12", "13", "16", "18", "19",
                "20", "26", "27"]  # fmt: skip
    for year in (2018, 2019, 2020):
        assert numbers(year, "gp") == expected


def test_a_heading_gets_no_entry():
    report = services.report_open(cycle=cycle_of(2019), agency=Agency.objects.get(code="mvd"))
    assert not report.entries.filter(measure__number="3").exists()


def test_opening_again_returns_the_same_report():
    agency = Agency.objects.get(code="mon")
    first = services.report_open(cycle=cycle_of(2019), agency=agency)
    second = services.report_open(cycle=cycle_of(2019), agency=agency)
    assert first.pk == second.pk
    assert AnnualReport.objects.filter(agency=agency).count() == 1
    assert ReportEntry.objects.filter(report=first).count() == 6
    assert first.state == AnnualReport.State.DRAFT


def test_an_editable_report_gains_a_measure_given_to_the_agency_later(mon_report):
    measure = mon_report.cycle.plan.measures.get(number="25")
    ResponsibilityFactory(measure=measure, agency=mon_report.agency, position=2)
    services.report_open(cycle=mon_report.cycle, agency=mon_report.agency)
    assert mon_report.entries.filter(measure=measure, is_voluntary=False).exists()


def test_a_new_agency_without_measures_gets_an_empty_report():
    report = services.report_open(cycle=cycle_of(2019), agency=AgencyFactory())
    assert report.entries.count() == 0


def test_measures_of_another_plan_are_not_included(mon_report):
    other = MeasureFactory(first_year=2019, last_year=2019)
    ResponsibilityFactory(measure=other, agency=mon_report.agency)
    report = services.report_open(cycle=mon_report.cycle, agency=mon_report.agency)
    assert not report.entries.filter(measure=other).exists()
