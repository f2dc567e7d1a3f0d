"""A change that loses the race to a deletion in the same report (a colleague removed the voluntary
entry or deleted the document a moment before) or in the summary (a regeneration dropped the
line) is told so and changes nothing: no row, no file, no audit event, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agencies.models import AuditEvent
from core.exceptions import Gone
from reporting import selectors, services
from reporting.models import Attachment, ReportEntry
from tests.reporting.conftest import fill
from tests.reporting.documents import PDF, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def voluntary(mon_report, mon_officer):
    measure = selectors.open_measures_to_add(report=mon_report).first()
    return services.entry_add_voluntary(report=mon_report, measure=measure, user=mon_officer)


def removed_meanwhile(entry, user):
    services.entry_remove_voluntary(entry=ReportEntry.objects.get(pk=entry.pk), user=user)


def test_saving_an_entry_removed_meanwhile_stores_no_document(voluntary, mon_officer, settings):
    removed_meanwhile(voluntary, mon_officer)
    events, files = AuditEvent.objects.count(), stored_files(settings)

    with pytest.raises(Gone, match="Мероприятие убрано из отчёта"):
        services.entry_save(
            entry=voluntary,
            user=mon_officer,
            status="done",
            narrative="Сделано.",
            version=voluntary.version,
            documents=[upload("акт.pdf", PDF)],
        )

    assert not Attachment.objects.exists() and stored_files(settings) == files
    assert AuditEvent.objects.count() == events


def test_a_document_added_to_an_entry_removed_meanwhile(voluntary, mon_officer, settings):
    removed_meanwhile(voluntary, mon_officer)

    with pytest.raises(Gone, match="Мероприятие убрано из отчёта"):
        services.attachment_add(entry=voluntary, user=mon_officer, file=upload("a.pdf", PDF))

    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_an_entry_removed_twice(voluntary, mon_officer):
    history = ReportEntry.history.filter(id=voluntary.pk).count()
    removed_meanwhile(voluntary, mon_officer)

    with pytest.raises(Gone, match="Мероприятие убрано из отчёта"):
        services.entry_remove_voluntary(entry=voluntary, user=mon_officer)

    # One deletion in the history, not two.
    assert ReportEntry.history.filter(id=voluntary.pk).count() == history + 1


def test_a_document_deleted_twice_is_audited_once(mon_report, mon_officer, settings):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    services.attachment_delete(
        attachment=Attachment.objects.get(pk=attachment.pk), user=mon_officer
    )

    with pytest.raises(Gone, match="Этот документ уже удалён"):
        services.attachment_delete(attachment=attachment, user=mon_officer)

    deleted = AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DELETED)
    assert deleted.count() == 1


def test_a_summary_line_dropped_by_a_regeneration(mon_report, mon_officer, mvd_secretariat):
    services.report_submit(report=fill(mon_report, mon_officer), user=mon_officer)
    summary = services.summary_generate(cycle=mon_report.cycle, user=mvd_secretariat)
    item = summary.items.first()
    type(item).objects.filter(pk=item.pk).delete()  # as a regeneration drops a line

    with pytest.raises(Gone, match="Этой строки больше нет"):
        services.summary_item_update(
            item=item, user=mvd_secretariat, status="done", text="Исправлено", version=item.version
        )

    assert not type(item).objects.filter(pk=item.pk).exists()


def test_the_entry_page_when_the_entry_was_removed_meanwhile(
    client, monkeypatch, voluntary, mon_officer
):
    client.force_login(mon_officer)
    entry_save = services.entry_save

    def after_removal(**kwargs):
        removed_meanwhile(voluntary, mon_officer)
        return entry_save(**kwargs)

    monkeypatch.setattr(services, "entry_save", after_removal)

    response = client.post(
        reverse("entry_edit", args=[voluntary.report_id, voluntary.pk]),
        {"status": "done", "narrative": "Сделано.", "version": voluntary.version},
    )

    assert response.status_code == 302 and response.url == voluntary.report.get_absolute_url()
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error" and "Мероприятие убрано из отчёта" in str(message)
