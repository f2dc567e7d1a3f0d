import pytest

from core.models import OutgoingMail
from reporting import services
from reporting.exceptions import IncompleteReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mvd_colleagues(mvd_secretariat):
    """A second МВД secretariat member, an МВД officer and an inactive secretariat member."""
    return [
        UserFactory(
            username="mvd_secretariat_2",
            email="sec2@example.kz",
            agency=mvd_secretariat.agency,
            role="secretariat",
        ),
        UserFactory(
            username="mvd_officer",
            email="officer@mvd.example.kz",
            agency=mvd_secretariat.agency,
            role="officer",
        ),
        UserFactory(
            username="mvd_gone",
            email="gone@example.kz",
            is_active=False,
            agency=mvd_secretariat.agency,
            role="secretariat",
        ),
    ]


def test_a_submission_notifies_the_coordinators_secretariat_once(
    mon_filled,
    mon_officer,
    mvd_secretariat,
    mvd_colleagues,
    mtszn_secretariat,
    mailoutbox,
    run_worker,
):
    services.report_submit(report=mon_filled, user=mon_officer)
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["mvd_secretariat@example.kz", "sec2@example.kz"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    message = mailoutbox[0]
    assert "МОН" in message.subject and "2019" in message.subject
    assert f"/reports/{mon_filled.pk}/" in message.body


def test_mail_is_queued_with_the_change_and_sent_by_the_worker(
    mon_filled, mon_officer, mvd_secretariat, mailoutbox, run_worker
):
    services.report_submit(report=mon_filled, user=mon_officer)
    queued = OutgoingMail.objects.get()
    assert (queued.to, queued.status) == ("mvd_secretariat@example.kz", "queued")
    assert mailoutbox == []  # nothing leaves during the request
    run_worker()
    assert [m.to for m in mailoutbox] == [["mvd_secretariat@example.kz"]]
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sent", 1) and queued.sent_at is not None
    run_worker()
    assert len(mailoutbox) == 1  # sent once


def test_a_refused_submission_sends_nothing(
    mon_report, mon_officer, mvd_secretariat, mailoutbox, run_worker
):
    with pytest.raises(IncompleteReport):
        services.report_submit(report=mon_report, user=mon_officer)
    run_worker()
    assert mailoutbox == [] and not OutgoingMail.objects.exists()


def test_a_return_notifies_the_agencys_officers_with_the_comment(
    mon_submitted,
    mon_officer,
    mvd_secretariat,
    akimat_officer,
    mailoutbox,
    run_worker,
):
    UserFactory(
        username="mon_officer_2",
        email="second@mon.example.kz",
        agency=mon_officer.agency,
        role="officer",
    )
    run_worker()
    mailoutbox.clear()  # the submission's
    services.report_return(
        report=mon_submitted, user=mvd_secretariat, comment="Приложите протокол заседания."
    )
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "mon_officer@example.kz",
        "second@mon.example.kz",
    ]
    assert "Приложите протокол заседания." in mailoutbox[0].body
    assert "Возвращён на доработку" in mailoutbox[0].subject


def test_an_acceptance_notifies_the_agencys_officers(
    mon_submitted, mon_officer, mvd_secretariat, mailoutbox, run_worker
):
    run_worker()
    mailoutbox.clear()  # the submission's
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    run_worker()
    assert [m.to for m in mailoutbox] == [["mon_officer@example.kz"]]
    assert "Принят" in mailoutbox[0].subject
