"""Racing requests on the registers: adding a decision while its meeting is deleted, correcting a
decision while it is deleted. Each pair of requests runs in two threads, each with its own
database connection and its own committed transaction, many rounds over; whichever wins, the
loser gets a page with a message, never a 500, and the database holds no half of either.

On PostgreSQL the requests overlap (rows are locked with SELECT … FOR UPDATE); on SQLite the
IMMEDIATE transactions take turns, and the loser still starts from a page read before the
winner committed: the race the services must survive is the same.

These tests commit (transactional_db), so pytest-django runs them after the tests that roll
back, and they load the plan themselves.
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, User
from commissions import services
from commissions.models import CommissionMeeting, DecisionAssignment, ProtocolDecision

ROUNDS = 12


@pytest.fixture
def secretariat(transactional_db):
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    return User.objects.create_user(
        username="mvd_secretariat", agency=Agency.objects.get(code="mvd"), role="secretariat"
    )


def race(user, *requests):
    """The requests (method, url, data), sent at the same moment by the same user from as many
    browsers; their status codes."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        method, url, data = request
        client = Client(raise_request_exception=False)  # a 500 is an answer here, not a raise
        client.force_login(user)
        try:
            barrier.wait()
            return getattr(client, method)(url, data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def a_meeting(user, n):
    return services.meeting_record(
        user=user,
        agency=None,
        held_on=datetime.date(2020, 1, 15),
        protocol_number=str(n),
        agenda="О ходе исполнения Плана",
    )


def test_adding_a_decision_while_the_meeting_is_deleted(secretariat):
    mon = Agency.objects.get(code="mon")
    for n in range(ROUNDS):
        meeting = a_meeting(secretariat, n)
        add = (
            "post",
            reverse("decision_add", args=[meeting.pk]),
            {"number": "1", "text": "Решение", "due_date": "2020-06-01", "agencies": [mon.pk]},
        )
        delete = ("post", reverse("meeting_delete", args=[meeting.pk]), {})

        statuses = race(secretariat, add, delete)

        # The decision was added and went with the meeting, or it found the meeting gone (a
        # redirect with the message, or a 404 if it was gone before the page was read).
        assert 500 not in statuses, f"round {n}: {statuses}"
        assert set(statuses) <= {302, 404}, f"round {n}: {statuses}"
        assert not CommissionMeeting.objects.filter(pk=meeting.pk).exists()
        assert not ProtocolDecision.objects.filter(meeting_id=meeting.pk).exists()
        assert not DecisionAssignment.objects.filter(decision__meeting_id=meeting.pk).exists()
    assert not DecisionAssignment.objects.exists()


def test_correcting_a_decision_while_it_is_deleted(secretariat):
    meeting = a_meeting(secretariat, 1)
    for n in range(ROUNDS):
        decision = services.decision_add(
            meeting=meeting, user=secretariat, number=str(n), text="Решение"
        )
        edit = ("post", reverse("decision_edit", args=[decision.pk]), {"number": n, "text": "Ещё"})
        delete = ("post", reverse("decision_delete", args=[decision.pk]), {})

        statuses = race(secretariat, edit, delete)

        assert 500 not in statuses, f"round {n}: {statuses}"
        assert set(statuses) <= {302, 404}, f"round {n}: {statuses}"
        # Deleted, and not brought back by the correction.
        assert not ProtocolDecision.objects.filter(pk=decision.pk).exists()
