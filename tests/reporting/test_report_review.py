import pytest

from reporting import services
from reporting.exceptions import PermissionRefused, ReportingError, StateRefused
from reporting.models import AnnualReport, ReviewComment

pytestmark = pytest.mark.django_db
State = AnnualReport.State


def test_accept(mon_submitted, mvd_secretariat):
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    assert mon_submitted.state == State.ACCEPTED
    assert mon_submitted.reviewed_by == mvd_secretariat and mon_submitted.reviewed_at


def test_return_needs_a_comment(mon_submitted, mvd_secretariat):
    for blank in ("", "   "):
        with pytest.raises(ReportingError, match="комментарий"):
            services.report_return(report=mon_submitted, user=mvd_secretariat, comment=blank)
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == State.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_return_then_submit_again_then_accept(mon_submitted, mvd_secretariat, mon_officer):
    services.report_return(report=mon_submitted, user=mvd_secretariat, comment="Уточните п. 4.")
    assert mon_submitted.state == State.RETURNED
    comment = mon_submitted.comments.get()
    assert (comment.kind, comment.text, comment.author) == (
        "return",
        "Уточните п. 4.",
        mvd_secretariat,
    )
    entry = mon_submitted.entries.get(measure__number="4")
    services.entry_update(
        entry=entry, user=mon_officer, status="done", narrative="Уточнено.", version=entry.version
    )
    services.report_submit(report=mon_submitted, user=mon_officer)
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    assert mon_submitted.state == State.ACCEPTED


def test_reopen_an_accepted_report(mon_submitted, mvd_secretariat, mon_officer):
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    with pytest.raises(ReportingError):
        services.report_reopen(report=mon_submitted, user=mvd_secretariat, comment="")
    services.report_reopen(report=mon_submitted, user=mvd_secretariat, comment="Новые данные.")
    assert mon_submitted.state == State.RETURNED
    assert mon_submitted.comments.get().kind == "reopen"
    entry = mon_submitted.entries.first()
    services.entry_update(
        entry=entry, user=mon_officer, status="done", narrative="Дополнено.", version=entry.version
    )


@pytest.mark.parametrize(
    ("action", "states"),
    [
        ("accept", {State.DRAFT, State.RETURNED, State.ACCEPTED}),
        ("return", {State.DRAFT, State.RETURNED, State.ACCEPTED}),
        ("reopen", {State.DRAFT, State.RETURNED, State.SUBMITTED}),
    ],
)
def test_actions_refused_in_the_wrong_state(mon_report, mvd_secretariat, action, states):
    service = getattr(services, f"report_{action}")
    for state in states:
        AnnualReport.objects.filter(pk=mon_report.pk).update(
            state=state, submitted_at="2020-01-10T00:00Z"
        )
        mon_report.refresh_from_db()
        with pytest.raises(StateRefused):
            service(report=mon_report, user=mvd_secretariat, comment="Комментарий")
        mon_report.refresh_from_db()
        assert mon_report.state == state and mon_report.reviewed_at is None
    assert not ReviewComment.objects.exists()


def test_only_the_cycles_coordinator_reviews(
    mon_submitted, mtszn_secretariat, observer, mon_officer
):
    # 2019 is coordinated by МВД: МТСЗН's secretariat reads it but cannot act on it.
    for user in (mtszn_secretariat, observer, mon_officer):
        for action in ("accept", "return"):
            with pytest.raises(PermissionRefused):
                getattr(services, f"report_{action}")(report=mon_submitted, user=user, comment="x")
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == State.SUBMITTED


def test_mtszn_reviews_2020(mtszn_secretariat, mvd_secretariat, mon_officer):
    from agencies.models import Agency
    from tests.reporting.conftest import cycle_of, fill

    report = services.report_open(cycle=cycle_of(2020), agency=Agency.objects.get(code="mon"))
    fill(report, mon_officer)
    services.report_submit(report=report, user=mon_officer)
    with pytest.raises(PermissionRefused):
        services.report_accept(report=report, user=mvd_secretariat)
    services.report_accept(report=report, user=mtszn_secretariat)
    assert report.state == State.ACCEPTED


def test_a_submitted_report_cannot_be_edited(mon_submitted, mon_officer):
    entry = mon_submitted.entries.first()
    with pytest.raises(StateRefused):
        services.entry_update(
            entry=entry,
            user=mon_officer,
            status="not_done",
            narrative="changed",
            version=entry.version,
        )
    entry.refresh_from_db()
    assert entry.narrative == "Проведено 12 проверок."
