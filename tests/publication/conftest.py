import pytest
from django.utils import timezone

from agencies.models import Agency
from measures.models import Measure
from publication import services
from reporting import services as reporting_services
from reporting.models import ReportEntry, Summary, SummaryItem
from tests.conftest import PLAN_CODE
from tests.reporting.conftest import cycle_of

SENT_TEXT = "Отправлено-в-Правительство-7431"
DRAFT_TEXT = "Черновик-секретариата-9902"
NARRATIVE = "Повествование-министерства-5518"


def make_summary(cycle, user, *, state, text, status=SummaryItem.Status.DONE):
    """A summary of `cycle` with a line for each of its measures whose text starts with `text`."""
    now = timezone.now()
    summary = Summary.objects.create(
        cycle=cycle,
        state=state,
        generated_at=now,
        generated_by=user,
        sent_at=now if state == Summary.State.SENT else None,
        sent_by=user if state == Summary.State.SENT else None,
    )
    measures = Measure.objects.filter(plan=cycle.plan).reported_in(cycle.year)
    measures = measures.filter(children__isnull=True).order_by("position")
    SummaryItem.objects.bulk_create(
        SummaryItem(summary=summary, measure=m, status=status, text=f"{text} ({m.number})")
        for m in measures
    )
    return summary


@pytest.fixture
def token(admin_user):
    """(the token's row, the raw token)."""
    return services.api_token_issue(system="Ситуационный центр Правительства", user=admin_user)


@pytest.fixture
def revoked(admin_user):
    row, raw = services.api_token_issue(system="Старая система", user=admin_user)
    services.api_token_revoke(token=row, user=admin_user)
    return row, raw


@pytest.fixture
def published(mvd_secretariat, mon_officer):
    """2018's summary sent, 2019's a draft, and МОН's 2019 report with a narrative: what the
    API and the public pages must show, and what they must never show."""
    sent = make_summary(cycle_of(2018), mvd_secretariat, state=Summary.State.SENT, text=SENT_TEXT)
    draft = make_summary(
        cycle_of(2019), mvd_secretariat, state=Summary.State.DRAFT, text=DRAFT_TEXT,
        status=SummaryItem.Status.NOT_DONE,
    )  # fmt: skip
    report = reporting_services.report_open(
        cycle=cycle_of(2019), agency=Agency.objects.get(code="mon")
    )
    for entry in report.entries.all():
        reporting_services.entry_update(
            entry=entry, user=mon_officer, status=ReportEntry.Status.DONE,
            narrative=NARRATIVE, version=entry.version,
        )  # fmt: skip
    return {"sent": sent, "draft": draft, "report": report, "plan_code": PLAN_CODE}


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
