"""Faults: the database or the disk failing in the middle of an action leaves everything as it
was, and the user sees a plain error page, never a traceback.

(A full disk during an upload: tests/reporting/test_attachments.py; twenty simultaneous
submissions on PostgreSQL: tests/reporting/test_concurrency.py.)
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from core.models import OutgoingMail
from core.storage import PrivateStorage
from reporting import services
from reporting.models import AnnualReport, ReportEntry, ReviewComment, Summary
from tests.reporting.conftest import cycle_of, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def mon_filled(mon_officer):
    """МОН's 2019 report, every entry filled in: ready to submit."""
    return fill(services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency), mon_officer)


def report_snapshot(report):
    """Everything a failed submission must leave as it was."""
    return {
        "report": AnnualReport.objects.filter(pk=report.pk).values().get(),
        "entries": list(ReportEntry.objects.filter(report=report).order_by("pk").values()),
        "report history": report.history.count(),
        "entry history": ReportEntry.history.filter(report_id=report.pk).count(),
        "comments": ReviewComment.objects.filter(report=report).count(),
    }


def failing_on(statement, table):
    """An execute wrapper that fails the first `statement` ("UPDATE", "INSERT") on `table`, as a
    database that goes away mid-transaction would."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(statement) and f'"{table}"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        pytest.param("UPDATE", "reporting_annualreport", id="the report's update"),
        # Written after the report's UPDATE: that update must be rolled back with it.
        pytest.param("INSERT", "reporting_historicalannualreport", id="the history row"),
    ],
)
def test_a_database_failure_during_submission_shows_a_plain_error_and_changes_nothing(
    mon_filled, mon_officer, mailoutbox, django_capture_on_commit_callbacks, statement, table
):
    client = Client(raise_request_exception=False)
    client.force_login(mon_officer)
    before = report_snapshot(mon_filled)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        connection.execute_wrapper(failing_on(statement, table)),
    ):
        response = client.post(reverse("report_submit", args=[mon_filled.pk]))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Внутренняя ошибка сервера" in page and "Internal server error" in page
    for leak in ("Traceback", "OperationalError", "UPDATE", "INSERT", table, "server closed"):
        assert leak not in page
    assert report_snapshot(mon_filled) == before
    assert before["report"]["state"] == AnnualReport.State.DRAFT
    assert before["report"]["submitted_at"] is None
    # No mail about a submission that did not happen: none queued, none sent.
    assert callbacks == [] and mailoutbox == [] and not OutgoingMail.objects.exists()


def test_the_error_page_is_static():
    """templates/500.html renders when nothing else works: no database, no request context,
    no base.html, no template tags that could fail."""
    from django.template import loader

    template = loader.get_template("500.html")
    assert "{%" not in template.template.source and "{{" not in template.template.source
    assert "Внутренняя ошибка сервера" in template.render()


# The summary's files at send time


@pytest.fixture
def mon_submitted(mon_filled, mon_officer):
    return services.report_submit(report=mon_filled, user=mon_officer)


@pytest.fixture
def draft_summary(mon_submitted, mvd_secretariat):
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    return services.summary_generate(cycle=cycle_of(2019), user=mvd_secretariat)


def stored_files(settings):
    return [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()]


@pytest.mark.parametrize("failing_file", [1, 2], ids=["the XLSX", "the DOCX"])
def test_a_full_disk_while_sending_the_summary_keeps_it_a_draft_and_leaves_no_file(
    client, draft_summary, mvd_secretariat, mon_submitted, settings, monkeypatch, failing_file
):
    real_save = PrivateStorage._save
    calls = []

    def save_until_the_disk_is_full(self, name, content):
        calls.append(name)
        if len(calls) >= failing_file:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(PrivateStorage, "_save", save_until_the_disk_is_full)
    client.force_login(mvd_secretariat)

    response = client.post(reverse("summary_send", args=[draft_summary.cycle_id]), follow=True)

    assert response.status_code == 200
    assert "Файлы сводной информации не удалось сохранить" in response.content.decode()
    summary = Summary.objects.get(pk=draft_summary.pk)
    assert (summary.state, summary.sent_at, summary.sent_by) == ("draft", None, None)
    assert (summary.sent_xlsx.name, summary.sent_docx.name) == ("", "")
    assert summary.history.filter(state="sent").count() == 0
    assert stored_files(settings) == []  # the XLSX written before the disk filled up is gone
    mon_submitted.refresh_from_db()
    assert not mon_submitted.is_locked


def test_a_database_failure_while_sending_the_summary_leaves_no_file(
    draft_summary, mvd_secretariat, settings
):
    with (
        connection.execute_wrapper(failing_on("UPDATE", "reporting_summary")),
        pytest.raises(OperationalError),
    ):
        services.summary_send(summary=draft_summary, user=mvd_secretariat)

    assert Summary.objects.get(pk=draft_summary.pk).state == "draft"
    assert stored_files(settings) == []
