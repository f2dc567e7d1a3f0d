import pytest

from agencies.models import Agency
from reporting import services
from reporting.models import ReportEntry, ReportingCycle
from tests.conftest import PLAN_CODE


def cycle_of(year):
    return ReportingCycle.objects.get(plan__code=PLAN_CODE, year=year)


def fill(report, user, status=ReportEntry.Status.DONE, narrative="Проведено 12 проверок."):
    for entry in report.entries.all():
        services.entry_update(
            entry=entry, user=user, status=status, narrative=narrative, version=entry.version
        )
    return report


@pytest.fixture
def cycle_2019(db):
    return cycle_of(2019)


@pytest.fixture
def mon_report(cycle_2019):
    """МОН's 2019 report, freshly opened: a draft with empty entries."""
    return services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mon"))


@pytest.fixture
def mon_filled(mon_report, mon_officer):
    return fill(mon_report, mon_officer)


@pytest.fixture
def mon_submitted(mon_filled, mon_officer):
    return services.report_submit(report=mon_filled, user=mon_officer)
