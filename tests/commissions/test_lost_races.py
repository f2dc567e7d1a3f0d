"""A request that loses the race to a deletion (a colleague deleted the meeting or the decision a
moment before) is told so and changes nothing: no row, no file, no audit event, never a 500.
Here the deletion comes first, as the losing request sees it; test_concurrency.py races them for
real."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agencies.models import AuditEvent, User
from commissions import services
from commissions.models import (
    CommissionDocument,
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
)
from core.exceptions import Gone
from tests.commissions.conftest import D, national, protocol
from tests.reporting.documents import stored_files

pytestmark = pytest.mark.django_db
# A colleague's deletions, through the services as the tests found them (some tests replace a
# service to run it just after a deletion).
meeting_delete, decision_delete = services.meeting_delete, services.decision_delete


@pytest.fixture
def meeting(mvd_secretariat):
    return national(mvd_secretariat, D(2020, 1, 15))


@pytest.fixture
def decision(meeting, mvd_secretariat, mon):
    return services.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="1",
        text="Провести семинар.",
        due_date=D(2020, 6, 1),
        agencies=[mon],
    )


def state():
    return (
        CommissionMeeting.objects.count(),
        ProtocolDecision.objects.count(),
        DecisionAssignment.objects.count(),
        CommissionDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def deleted_meanwhile(obj, user):
    """The meeting or decision deleted by a colleague; the caller still holds its old copy."""
    stale = type(obj).objects.get(pk=obj.pk)
    if isinstance(obj, CommissionMeeting):
        meeting_delete(meeting=stale, user=user)
    else:
        decision_delete(decision=stale, user=user)


def test_a_decision_added_to_a_meeting_deleted_meanwhile(meeting, mvd_secretariat):
    deleted_meanwhile(meeting, mvd_secretariat)
    before = state()

    with pytest.raises(Gone, match="Заседание удалено"):
        services.decision_add(meeting=meeting, user=mvd_secretariat, number="1", text="Решение")

    assert state() == before


def test_a_meeting_corrected_after_it_was_deleted_stores_no_protocol(
    meeting, mvd_secretariat, settings
):
    deleted_meanwhile(meeting, mvd_secretariat)
    before, files = state(), stored_files(settings)

    with pytest.raises(Gone, match="Заседание удалено"):
        services.meeting_update(
            meeting=meeting,
            user=mvd_secretariat,
            held_on=D(2020, 1, 16),
            protocol_number="2",
            agenda="Повестка",
            document=protocol(),
        )

    assert state() == before and stored_files(settings) == files


def test_a_meeting_deleted_twice_is_deleted_and_audited_once(meeting, mvd_secretariat):
    deleted_meanwhile(meeting, mvd_secretariat)

    with pytest.raises(Gone):
        services.meeting_delete(meeting=meeting, user=mvd_secretariat)

    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEETING_DELETED).count() == 1


def test_a_decision_corrected_after_it_was_deleted_is_not_brought_back(decision, mvd_secretariat):
    deleted_meanwhile(decision, mvd_secretariat)
    before = state()

    with pytest.raises(Gone, match="Решение удалено"):
        services.decision_update(
            decision=decision, user=mvd_secretariat, number="1", text="Исправлено"
        )

    assert state() == before
    assert not ProtocolDecision.objects.filter(pk=decision.pk).exists()


def test_a_decision_deleted_twice_is_audited_once(decision, mvd_secretariat):
    deleted_meanwhile(decision, mvd_secretariat)

    with pytest.raises(Gone, match="Решение удалено"):
        services.decision_delete(decision=decision, user=mvd_secretariat)

    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECISION_DELETED).count() == 1


def test_a_decision_of_a_meeting_deleted_meanwhile(decision, meeting, mvd_secretariat):
    deleted_meanwhile(meeting, mvd_secretariat)

    with pytest.raises(Gone, match="Заседание удалено"):
        services.decision_update(
            decision=decision, user=mvd_secretariat, number="1", text="Исправлено"
        )
    assert state()[:3] == (0, 0, 0)


def test_a_part_marked_done_after_the_agency_was_taken_off_it(decision, mvd_secretariat):
    mon_officer = User.objects.create_user(
        username="mon.plan", agency=decision.agencies.get(), role=User.Role.OFFICER
    )
    assignment = decision.assignments.get()
    services.decision_update(decision=decision, user=mvd_secretariat, number="1", text="Без МОН")
    before = state()

    with pytest.raises(Gone, match="Этого поручения больше нет"):
        services.assignment_complete(assignment=assignment, user=mon_officer, note="Сделано")

    assert state() == before


def test_a_part_marked_done_after_its_decision_was_deleted(decision, mvd_secretariat):
    assignment = decision.assignments.get()
    deleted_meanwhile(decision, mvd_secretariat)

    with pytest.raises(Gone, match="Этого поручения больше нет"):
        services.assignment_reopen(assignment=assignment, user=mvd_secretariat)


# The pages: the message, and the register instead of a page that no longer exists


def lose_the_race(monkeypatch, name, delete):
    """The service `name` runs just after a colleague's deletion (`delete()`) has committed:
    after the view read the object, before the service locked it."""
    service = getattr(services, name)

    def after_deletion(**kwargs):
        delete()
        return service(**kwargs)

    monkeypatch.setattr(services, name, after_deletion)


def test_the_decision_form_of_a_meeting_deleted_meanwhile(
    client, monkeypatch, meeting, mvd_secretariat
):
    client.force_login(mvd_secretariat)
    lose_the_race(monkeypatch, "decision_add", lambda: deleted_meanwhile(meeting, mvd_secretariat))

    response = client.post(
        reverse("decision_add", args=[meeting.pk]), {"number": "1", "text": "Решение"}
    )

    assert response.status_code == 302 and response.url == reverse("meeting_list")
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error" and "Заседание удалено" in str(message)
    assert not ProtocolDecision.objects.exists()
    assert "Заседание удалено" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("decision_delete", {}),
        ("decision_edit", {"number": "1", "text": "Исправлено", "due_date": "2020-06-01"}),
    ],
)
def test_the_decision_pages_when_it_was_deleted_meanwhile(
    client, monkeypatch, decision, mvd_secretariat, view, data
):
    client.force_login(mvd_secretariat)
    service = {"decision_delete": "decision_delete", "decision_edit": "decision_update"}[view]
    lose_the_race(monkeypatch, service, lambda: deleted_meanwhile(decision, mvd_secretariat))

    response = client.post(reverse(view, args=[decision.pk]), data)

    assert response.status_code == 302 and response.url == reverse("meeting_list")
    (message,) = get_messages(response.wsgi_request)
    assert "Решение удалено" in str(message)
    assert not ProtocolDecision.objects.exists()


def test_the_meeting_deleted_twice(client, monkeypatch, meeting, mvd_secretariat):
    client.force_login(mvd_secretariat)
    lose_the_race(
        monkeypatch, "meeting_delete", lambda: deleted_meanwhile(meeting, mvd_secretariat)
    )

    response = client.post(reverse("meeting_delete", args=[meeting.pk]))

    assert response.status_code == 302 and response.url == reverse("meeting_list")
    (message,) = get_messages(response.wsgi_request)
    assert "Заседание удалено" in str(message)
