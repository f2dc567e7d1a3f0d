"""Irreversible actions ask first, on a page of their own that works without scripts, naming what
they will do and what is still missing; asking changes nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reporting import services
from reporting.models import AnnualReport, SummaryItem
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db


def test_the_submission_asks_and_names_what_is_missing(client, mon_report, mon_officer):
    entry = mon_report.entries.get(measure__number="4")
    services.entry_update(
        entry=entry, user=mon_officer, status="done", narrative="Проверено.", version=entry.version
    )
    client.force_login(mon_officer)
    page = client.get(reverse("report_submit", args=[mon_report.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Заполнено мероприятий: 1 из 6." in content
    assert "Отчёт пока нельзя представить" in content
    assert "Мероприятие 12" in content and "не указан статус исполнения" in content
    assert 'type="submit"' not in content.split("<main")[1].split("</main>")[0]
    mon_report.refresh_from_db()
    assert mon_report.state == AnnualReport.State.DRAFT


def test_a_complete_report_asks_then_is_submitted(client, mon_filled, mon_officer):
    client.force_login(mon_officer)
    with time_machine.travel(datetime.datetime(2020, 1, 25, 12, tzinfo=datetime.UTC)):
        content = client.get(reverse("report_submit", args=[mon_filled.pk])).content.decode()
    assert "Заполнено мероприятий: 6 из 6." in content
    assert "Отчёт уйдёт координатору: Министерство внутренних дел" in content
    assert "отмечен как представленный с опозданием" in content  # 25 January: after the 20th
    mon_filled.refresh_from_db()
    assert mon_filled.state == "draft"
    response = client.post(reverse("report_submit", args=[mon_filled.pk]), follow=True)
    assert "Отчёт представлен координатору." in response.content.decode()
    mon_filled.refresh_from_db()
    assert mon_filled.state == "submitted"


def test_a_submitted_report_is_not_asked_again(client, mon_submitted, mon_officer):
    client.force_login(mon_officer)
    response = client.get(reverse("report_submit", args=[mon_submitted.pk]), follow=True)
    assert "изменять его нельзя" in response.content.decode()


def test_another_agency_cannot_even_ask(client, mon_filled, akimat_officer):
    client.force_login(akimat_officer)
    assert client.get(reverse("report_submit", args=[mon_filled.pk])).status_code == 404


def test_sending_the_summary_asks_and_names_who_has_not_reported(
    client, mon_submitted, mvd_secretariat, cycle_2019
):
    from agencies.models import Agency

    returned = services.report_open(cycle=cycle_2019, agency=Agency.objects.get(code="mid"))
    officer = returned.agency.users.create(username="mid_officer", role="officer")
    fill(returned, officer)
    services.report_submit(report=returned, user=officer)
    services.report_return(report=returned, user=mvd_secretariat, comment="Доработайте.")
    summary = services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    client.force_login(mvd_secretariat)
    content = client.get(reverse("summary_send", args=[cycle_2019.pk])).content.decode()
    expected = len(summary.cycle.expected_agencies.all())
    assert f"Не представили отчёт {expected - 1} из {expected} ведомств" in content
    assert "Возвращены на доработку и не представлены снова: МИД." in content
    assert "Не начали отчёт:" in content and "МОН" not in content.split("Не начали отчёт:")[1]
    summary.refresh_from_db()
    assert not summary.is_sent
    client.post(reverse("summary_send", args=[cycle_2019.pk]))
    summary.refresh_from_db()
    assert summary.is_sent


def test_only_the_coordinator_is_asked(
    client, mon_submitted, mtszn_secretariat, mvd_secretariat, cycle_2019
):
    services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    client.force_login(mtszn_secretariat)
    assert client.get(reverse("summary_send", args=[cycle_2019.pk])).status_code == 403


def test_removing_a_document_asks_first(client, mon_report, mon_officer):
    from tests.reporting.documents import PDF, upload

    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("акт.pdf", PDF))
    client.force_login(mon_officer)
    url = reverse("attachment_delete", args=[attachment.pk])
    content = client.get(url).content.decode()
    assert "Удалить документ «акт.pdf»?" in content and "безвозвратно" in content
    assert entry.attachments.exists()  # asking deletes nothing
    client.post(url)
    assert not entry.attachments.exists()


def test_a_locked_report_says_why_instead_of_asking(client, mon_submitted, mon_officer):
    from tests.reporting.documents import PDF, upload

    entry = mon_submitted.entries.first()
    AnnualReport.objects.filter(pk=mon_submitted.pk).update(state="draft")
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    AnnualReport.objects.filter(pk=mon_submitted.pk).update(state="submitted")
    client.force_login(mon_officer)
    content = client.get(reverse("attachment_delete", args=[attachment.pk])).content.decode()
    assert "изменять его нельзя" in content and "Удалить документ</button>" not in content


def test_removing_a_voluntary_entry_asks_first(client, mon_report, mon_officer):
    from reporting import selectors

    measure = selectors.open_measures_to_add(report=mon_report).first()
    entry = services.entry_add_voluntary(report=mon_report, measure=measure, user=mon_officer)
    client.force_login(mon_officer)
    url = reverse("entry_remove", args=[mon_report.pk, entry.pk])
    assert f"Убрать мероприятие {measure.number} из отчёта?" in client.get(url).content.decode()
    assert mon_report.entries.filter(pk=entry.pk).exists()
    client.post(url)
    assert not mon_report.entries.filter(pk=entry.pk).exists()


def test_overwriting_edited_lines_asks_first_and_names_them(
    client, mon_submitted, mvd_secretariat, cycle_2019
):
    summary = services.summary_generate(cycle=cycle_2019, user=mvd_secretariat)
    item = summary.items.get(measure__number="4")
    services.summary_item_update(
        item=item,
        user=mvd_secretariat,
        status="done",
        text="Текст секретариата.",
        version=item.version,
    )
    client.force_login(mvd_secretariat)
    url = reverse("summary_generate", args=[cycle_2019.pk])
    page = client.post(url, {"overwrite": "on"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Строки 4 будут сформированы заново" in content
    assert 'name="confirmed" value="1"' in content
    assert (
        SummaryItem.objects.get(pk=item.pk).text == "Текст секретариата."
    )  # asking changes nothing
    # Without "overwrite", nothing is asked and the edited line is kept.
    assert client.post(url).status_code == 302
    assert SummaryItem.objects.get(pk=item.pk).is_edited
    assert client.post(url, {"overwrite": "on", "confirmed": "1"}).status_code == 302
    item = SummaryItem.objects.get(pk=item.pk)
    assert not item.is_edited and item.text != "Текст секретариата."
