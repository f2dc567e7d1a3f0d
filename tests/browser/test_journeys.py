"""The main journeys, as people make them in a browser."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from reporting.models import AnnualReport, Summary
from tests.browser.conftest import log_in, log_out
from tests.reporting.documents import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def fill_report(page):
    """Fill every entry through "save and next", a PDF on the first one."""
    page.get_by_role("link", name=re.compile("Заполнить мероприятие")).first.click()
    first = True
    while True:
        page.get_by_label("Статус исполнения").select_option(label="Исполнено")
        page.get_by_label("Информация о ходе исполнения").fill(
            "Проведены проверки в 12 организациях образования."
        )
        if first:
            page.get_by_label("Подтверждающие документы").set_input_files(
                {"name": "протокол.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
            first = False
        heading = page.get_by_role("heading", level=1).inner_text()
        page.get_by_role("button", name="Сохранить и к следующему").click()
        expect(page.get_by_role("alert").first).to_contain_text("сохранено")
        if (
            page.get_by_role("heading", level=1).inner_text() == heading
            or "/entries/" not in page.url
        ):
            break


def test_file_return_fix_and_accept(page, portal):
    log_in(page, portal, "mon_officer")
    page.get_by_role("button", name="Начать отчёт за 2019 год").click()
    expect(page.get_by_role("heading", name="Отчёт о выполнении Плана за 2019 год")).to_be_visible()
    report_url = page.url

    fill_report(page)
    # Come back later: everything is there, the document too.
    page.goto(f"{portal}/")
    page.get_by_role("link", name="Заполнить отчёт за 2019 год").click()
    assert page.url == report_url
    expect(page.get_by_role("link", name="протокол.pdf")).to_be_visible()
    expect(page.locator("td", has_text="Проведены проверки")).to_have_count(6)
    # An irreversible step asks first: what it does, and that nothing is missing.
    page.get_by_role("link", name="Представить отчёт координатору…").click()
    expect(page.get_by_text("Заполнено мероприятий: 6 из 6.")).to_be_visible()
    expect(page.get_by_text("Изменять отчёт будет нельзя")).to_be_visible()
    assert AnnualReport.objects.get().state == "draft"  # asking changes nothing
    page.get_by_role("button", name="Представить отчёт", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт представлен координатору")
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(report_url)
    page.get_by_label("Комментарий").fill("Уточните число проверок по мероприятию 4.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_role("alert").first).to_contain_text("возвращён на доработку")
    log_out(page)

    log_in(page, portal, "mon_officer")
    page.goto(report_url)
    expect(page.get_by_text("Уточните число проверок по мероприятию 4.")).to_be_visible()
    page.get_by_role("link", name="Заполнить мероприятие 4").click()
    page.get_by_label("Информация о ходе исполнения").fill("Проверено 40 дел об усыновлении.")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    page.get_by_role("link", name="Представить отчёт координатору…").click()
    page.get_by_role("button", name="Представить отчёт", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт представлен координатору")
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(report_url)
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт принят")
    report = AnnualReport.objects.get()
    assert report.state == "accepted"
    assert report.entries.get(measure__number="4").narrative == "Проверено 40 дел об усыновлении."
    assert report.entries.first().attachments.get().original_name == "протокол.pdf"


def test_summary_edit_download_and_send(page, portal):
    from agencies.models import Agency, User
    from reporting import services
    from tests.reporting.conftest import cycle_of, fill

    officer = User.objects.get(username="mon_officer")
    report = services.report_open(cycle=cycle_of(2019), agency=Agency.objects.get(code="mon"))
    fill(report, officer)
    services.report_submit(report=report, user=officer)

    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/cycles/{cycle_of(2019).pk}/summary/")
    page.get_by_role("button", name="Сформировать из отчётов").click()
    expect(page.get_by_role("alert").first).to_contain_text("Сводная информация сформирована")
    page.get_by_role("link", name="Изменить строку 14").click()
    page.get_by_label("Статус").select_option(label="Исполняется")
    page.get_by_label("Информация о ходе исполнения").fill("Сводный текст секретариата по п. 14.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("alert").first).to_contain_text("Строка 14 сохранена")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать XLSX").click()
    # Playwright names the download without a suffix, which openpyxl refuses: read the bytes.
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    row_14 = next(r for r in rows if r[0] == "14")
    assert "Сводный текст секретариата по п. 14." in row_14
    assert "Исполняется" in row_14

    page.get_by_role("link", name="Отметить отправку в Правительство…").click()
    # It says who has not reported before anything is recorded.
    expect(page.get_by_text("Не представили отчёт")).to_be_visible()
    expect(page.get_by_text("Не начали отчёт:")).to_contain_text("МИД")
    assert not Summary.objects.get().is_sent
    page.get_by_role("button", name="Отметить отправку", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёты года закрыты")
    assert Summary.objects.get().is_sent
