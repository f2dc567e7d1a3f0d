"""Concurrent double clicks: many simultaneous submissions of one report make one transition.

These tests commit (transactional_db), so each connection sees the others' work; pytest-django
runs them after the tests that roll back, and they load the plan themselves.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection

from agencies.models import Agency, User
from reporting import services
from reporting.exceptions import StateRefused
from reporting.models import AnnualReport, ReportEntry
from tests.conftest import run_tasks
from tests.reporting.conftest import cycle_of, fill

CLICKS = 20


@pytest.fixture
def committed_report(transactional_db):
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    officer = User.objects.create_user(
        username="mon_officer",
        password="x",
        agency=Agency.objects.get(code="mon"),
        role=User.Role.OFFICER,
    )
    User.objects.create_user(
        username="mvd_secretariat",
        password="x",
        email="sec@mvd.example.kz",
        agency=Agency.objects.get(code="mvd"),
        role=User.Role.SECRETARIAT,
    )
    report = services.report_open(cycle=cycle_of(2019), agency=officer.agency)
    fill(report, officer)
    return report, officer


def in_threads(action, count=CLICKS):
    barrier = threading.Barrier(count)

    def run(_):
        try:
            barrier.wait()
            return action()
        except StateRefused:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_simultaneous_submissions_make_one_transition_and_one_mail(
    committed_report, mailoutbox
):
    report, officer = committed_report

    def submit():
        services.report_submit(report=AnnualReport.objects.get(pk=report.pk), user=officer)
        return "submitted"

    results = in_threads(submit)
    assert results.count("submitted") == 1 and results.count("refused") == CLICKS - 1
    report.refresh_from_db()
    assert report.state == AnnualReport.State.SUBMITTED
    assert report.history.filter(state="submitted").count() == 1
    run_tasks()
    assert [m.to for m in mailoutbox] == [["sec@mvd.example.kz"]]


def test_simultaneous_saves_of_one_entry_keep_exactly_one(committed_report):
    report, officer = committed_report
    entry = report.entries.first()
    version = entry.version

    def save(n):
        from reporting.exceptions import EditConflict

        try:
            services.entry_update(
                entry=ReportEntry.objects.get(pk=entry.pk),
                user=officer,
                status="done",
                narrative=f"text {n}",
                version=version,
            )
            return "saved"
        except EditConflict:
            return "conflict"

    counter = iter(range(CLICKS))
    lock = threading.Lock()

    def next_save():
        with lock:
            n = next(counter)
        return save(n)

    results = in_threads(next_save)
    assert results.count("saved") == 1 and results.count("conflict") == CLICKS - 1
    entry.refresh_from_db()
    assert entry.version == version + 1
