"""Figures in a browser: an officer types them in an entry, submits; the secretariat accepts and
generates the summary, and finds the totals on its line."""

import re

import pytest
from playwright.sync_api import expect

from reporting.models import AnnualReport, ReportEntry
from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)

INSPECTIONS = "Проведено проверок по усыновлению, проверок"


def test_figures_from_the_entry_form_to_the_summary(page, portal):
    from agencies.models import User
    from reporting import services

    log_in(page, portal, "mon_officer")
    page.get_by_role("button", name="Начать отчёт за 2019 год").click()
    report_url = page.url
    page.get_by_role("link", name="Заполнить мероприятие 4").click()
    page.get_by_label("Статус исполнения").select_option(label="Исполнено")
    page.get_by_label("Информация о ходе исполнения").fill("Проверено 12 организаций.")
    page.get_by_label(INSPECTIONS).fill("-2")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Убедитесь, что это значение больше либо равно 0.")).to_be_visible()
    page.get_by_label(INSPECTIONS).fill("12")
    page.get_by_label("Выявлено нарушений, нарушений").fill("3")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Мероприятие 4 сохранено")
    four = ReportEntry.objects.get(measure__number="4")
    expect(page.locator(f'#entry-{four.pk} [data-indicator="inspections"]')).to_have_text("12")

    # The other entries, as the service saves them.
    officer = User.objects.get(username="mon_officer")
    report = AnnualReport.objects.get()
    for entry in report.entries.exclude(measure__number="4"):
        services.entry_update(
            entry=entry, user=officer, status="done", narrative="Сделано.", version=entry.version
        )
    page.get_by_role("link", name="Представить отчёт координатору…").click()
    page.get_by_role("button", name="Представить отчёт", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт представлен координатору")
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(report_url)
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_role("alert").first).to_contain_text("Отчёт принят")
    page.goto(f"{portal}/cycles/{report.cycle_id}/summary/")
    page.get_by_role("button", name="Сформировать из отчётов").click()
    expect(page.get_by_role("alert").first).to_contain_text("Сводная информация сформирована")
    item = report.cycle.summary.items.get(measure__number="4")
    totals = page.locator(f"#item-{item.pk} .indicator-totals")
    expect(totals).to_contain_text(re.compile(f"{INSPECTIONS}: 12 \\(дали значение 1 из \\d+"))
    expect(totals).to_contain_text("Выявлено нарушений, нарушений: 3")
    assert ReportEntry.objects.get(measure__number="4").indicator_values.count() == 2
