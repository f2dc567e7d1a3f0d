import datetime

import pytest
import time_machine

from agencies.models import Agency
from reporting import services
from reporting.exceptions import IncompleteReport, PermissionRefused, StateRefused
from reporting.models import AnnualReport, ReportEntry
from tests.factories import (
    MeasureFactory,
    PlanFactory,
    ReportingCycleFactory,
    ResponsibilityFactory,
    SectionFactory,
)
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_submit_records_who_and_when(mon_filled, mon_officer):
    moment = datetime.datetime(2020, 1, 15, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        report = services.report_submit(report=mon_filled, user=mon_officer)
    report.refresh_from_db()
    assert report.state == AnnualReport.State.SUBMITTED
    assert report.submitted_at == moment
    assert report.submitted_by == mon_officer
    assert report.is_late is False


def test_an_incomplete_report_is_refused_entry_by_entry(mon_report, mon_officer):
    first, second, *rest = mon_report.entries.order_by("measure__position")
    services.entry_update(
        entry=first, user=mon_officer, status="done", narrative="Сделано.", version=first.version
    )
    services.entry_update(
        entry=second, user=mon_officer, status="", narrative="Без статуса.", version=second.version
    )
    with pytest.raises(IncompleteReport) as refused:
        services.report_submit(report=mon_report, user=mon_officer)
    errors = {entry.measure.number: problems for entry, problems in refused.value.errors.items()}
    assert first.measure.number not in errors
    assert errors[second.measure.number] == ["не указан статус исполнения"]
    assert errors[rest[0].measure.number] == [
        "не указан статус исполнения",
        "не заполнена информация о ходе исполнения",
    ]
    mon_report.refresh_from_db()
    assert mon_report.state == AnnualReport.State.DRAFT and mon_report.submitted_at is None


def test_a_blank_narrative_is_not_a_narrative(mon_report, mon_officer):
    fill(mon_report, mon_officer, narrative="   \n ")
    with pytest.raises(IncompleteReport):
        services.report_submit(report=mon_report, user=mon_officer)


def test_the_repeated_submit_changes_the_state_once(mon_filled, mon_officer):
    services.report_submit(report=mon_filled, user=mon_officer)
    history_before = mon_filled.history.count()
    with pytest.raises(StateRefused, match="Представлен"):
        services.report_submit(report=mon_filled, user=mon_officer)
    assert mon_filled.history.count() == history_before


def test_another_agency_cannot_submit(mon_filled, akimat_officer, observer, mvd_secretariat):
    for user in (akimat_officer, observer, mvd_secretariat):
        with pytest.raises(PermissionRefused):
            services.report_submit(report=mon_filled, user=user)
    mon_filled.refresh_from_db()
    assert mon_filled.state == AnnualReport.State.DRAFT


def test_the_secretariat_files_its_own_agencys_report(cycle_2019, mvd_secretariat):
    report = services.report_open(cycle=cycle_2019, agency=mvd_secretariat.agency)
    fill(report, mvd_secretariat)
    services.report_submit(report=report, user=mvd_secretariat)
    assert report.state == AnnualReport.State.SUBMITTED


# The 2019 cycle's deadline is 20 January 2020, when Almaty was UTC+6: the day ends 18:00 UTC.
@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime.datetime(2020, 1, 20, 17, 59, 59, tzinfo=UTC), False),
        (datetime.datetime(2020, 1, 20, 18, 0, 0, tzinfo=UTC), True),
        (datetime.datetime(2020, 1, 20, 23, 30, tzinfo=UTC), True),
    ],
)
def test_deadline_in_utc_plus_6(mon_filled, mon_officer, moment, late):
    with time_machine.travel(moment, tick=False):
        services.report_submit(report=mon_filled, user=mon_officer)
    assert mon_filled.is_late is late


@pytest.fixture
def report_2024(db):
    """A report of a later plan, whose deadline (20 January 2025) falls after Almaty moved to
    UTC+5 on 1 March 2024."""
    plan = PlanFactory(start_year=2024, end_year=2026)
    measure = MeasureFactory(section=SectionFactory(plan=plan), first_year=2024, last_year=2026)
    agency = Agency.objects.get(code="mon")
    ResponsibilityFactory(measure=measure, agency=agency, position=1)
    cycle = ReportingCycleFactory(
        plan=plan, year=2024, coordinator=Agency.objects.get(code="mtszn")
    )
    return services.report_open(cycle=cycle, agency=agency)


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime.datetime(2025, 1, 20, 18, 30, tzinfo=UTC), False),  # 23:30 in Almaty
        (datetime.datetime(2025, 1, 20, 18, 59, 59, tzinfo=UTC), False),
        (datetime.datetime(2025, 1, 20, 19, 0, 0, tzinfo=UTC), True),  # midnight in Almaty
    ],
)
def test_deadline_in_utc_plus_5(report_2024, mon_officer, moment, late):
    fill(report_2024, mon_officer)
    with time_machine.travel(moment, tick=False):
        services.report_submit(report=report_2024, user=mon_officer)
    assert report_2024.is_late is late


def test_a_resubmission_after_a_return_keeps_the_first_submissions_timeliness(
    mon_filled, mon_officer, mvd_secretariat
):
    with time_machine.travel(datetime.datetime(2020, 1, 19, tzinfo=UTC), tick=False):
        services.report_submit(report=mon_filled, user=mon_officer)
    services.report_return(report=mon_filled, user=mvd_secretariat, comment="Уточните цифры.")
    with time_machine.travel(datetime.datetime(2020, 1, 25, tzinfo=UTC), tick=False):
        services.report_submit(report=mon_filled, user=mon_officer)
    assert mon_filled.state == AnnualReport.State.SUBMITTED
    assert mon_filled.submitted_at == datetime.datetime(2020, 1, 25, tzinfo=UTC)
    assert mon_filled.is_late is False


def test_an_empty_report_cannot_be_submitted(cycle_2019, mon_officer):
    from tests.factories import AgencyFactory

    agency = AgencyFactory()
    mon_officer.agency = agency
    mon_officer.save()
    report = services.report_open(cycle=cycle_2019, agency=agency)
    with pytest.raises(IncompleteReport, match="нет ни одного"):
        services.report_submit(report=report, user=mon_officer)


def test_entries_keep_their_history(mon_report, mon_officer):
    entry = mon_report.entries.first()
    services.entry_update(
        entry=entry, user=mon_officer, status="in_progress", narrative="a", version=entry.version
    )
    services.entry_update(
        entry=entry, user=mon_officer, status="done", narrative="b", version=entry.version
    )
    records = list(ReportEntry.history.filter(id=entry.pk).order_by("history_date"))
    assert [r.narrative for r in records] == ["", "a", "b"]
    assert records[-1].history_user == mon_officer and records[-1].updated_by == mon_officer
