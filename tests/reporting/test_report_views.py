import pytest
from django.urls import reverse

from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db


def detail(report):
    return reverse("report_detail", args=[report.pk])


def test_submitting_an_incomplete_report_shows_the_errors_entry_by_entry(
    client, mon_report, mon_officer
):
    client.force_login(mon_officer)
    entry = mon_report.entries.get(measure__number="4")
    client.post(
        reverse("entry_edit", args=[mon_report.pk, entry.pk]),
        {"status": "done", "narrative": "Проверено 40 дел.", "version": entry.version},
    )
    response = client.post(reverse("report_submit", args=[mon_report.pk]))
    assert response.status_code == 400
    errors = {e.measure.number: p for e, p in response.context["submit_errors"].items()}
    assert set(errors) == {"3.4", "12", "14", "17", "18"}
    content = response.content.decode()
    assert "не заполнено мероприятий — 5" in content
    assert content.count("не указан статус исполнения") == 5
    mon_report.refresh_from_db()
    assert mon_report.state == "draft"


def test_the_journey_through_the_views(client, mon_report, mon_officer, mvd_secretariat):
    fill(mon_report, mon_officer)
    client.force_login(mon_officer)
    response = client.post(reverse("report_submit", args=[mon_report.pk]), follow=True)
    assert "Отчёт представлен координатору." in response.content.decode()
    # A double click: the second POST is refused with a message and changes nothing.
    response = client.post(reverse("report_submit", args=[mon_report.pk]), follow=True)
    assert "представить его ещё раз нельзя" in response.content.decode()

    client.force_login(mvd_secretariat)
    response = client.post(reverse("report_return", args=[mon_report.pk]), {"comment": ""})
    assert response.status_code == 400
    mon_report.refresh_from_db()
    assert mon_report.state == "submitted"
    client.post(
        reverse("report_return", args=[mon_report.pk]),
        {"comment": "Приложите протокол заседания МВК."},
    )

    client.force_login(mon_officer)
    content = client.get(detail(mon_report)).content.decode()
    assert "Приложите протокол заседания МВК." in content
    assert "Возвращён на доработку" in content
    client.post(reverse("report_submit", args=[mon_report.pk]))

    client.force_login(mvd_secretariat)
    client.post(reverse("report_accept", args=[mon_report.pk]))
    mon_report.refresh_from_db()
    assert mon_report.state == "accepted" and mon_report.reviewed_by == mvd_secretariat


def test_the_review_buttons_show_only_to_the_cycles_coordinator(
    client, mon_report, mon_officer, mvd_secretariat, mtszn_secretariat
):
    fill(mon_report, mon_officer)
    client.force_login(mon_officer)
    client.post(reverse("report_submit", args=[mon_report.pk]))
    client.force_login(mvd_secretariat)
    assert "Вернуть на доработку" in client.get(detail(mon_report)).content.decode()
    client.force_login(mtszn_secretariat)
    assert "Вернуть на доработку" not in client.get(detail(mon_report)).content.decode()


def test_report_page_query_count_does_not_grow_with_entries(
    client, mon_report, mon_officer, django_assert_max_num_queries
):
    fill(mon_report, mon_officer)
    client.force_login(mon_officer)
    # session, user, report, entries, documents, comments, report history, entry history,
    # document history, measures open to interested bodies (exists), the measures' indicators,
    # the figures, the figures' history, savepoint pair at most
    with django_assert_max_num_queries(15):
        client.get(detail(mon_report))
