"""The working day of an officer and a secretariat (issue 15): remarks on single entries and
what changed since a return, the irreversible steps that ask first, the phone layout of a
report and of the plan, the dashboard's counts, signing in with Enter."""

import re

import pytest
from playwright.sync_api import expect

from commissions.models import CommissionMeeting, ProtocolDecision
from reporting.models import Attachment
from tests.browser.conftest import PASSWORD, log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_remark_on_one_entry_is_shown_where_the_officer_fixes_it(page, portal, reported):
    four = reported.entries.get(measure__number="4")
    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/reports/{reported.pk}/")
    page.get_by_label("Комментарий", exact=True).fill("Доработайте мероприятие 4.")
    page.get_by_text("Замечания по отдельным мероприятиям").click()
    remark = page.locator(f"#id_entry_{four.pk}")
    expect(page.locator(f'label[for="id_entry_{four.pk}"]')).to_contain_text("4. ")
    remark.fill("Назовите число проверенных организаций.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_role("alert").first).to_contain_text("возвращён на доработку")
    log_out(page)

    log_in(page, portal, "mon_officer")
    page.goto(f"{portal}/reports/{reported.pk}/")
    row = page.locator(f"#entry-{four.pk}")
    expect(row).to_contain_text("Назовите число проверенных организаций.")
    page.get_by_role("link", name="Заполнить мероприятие 4").click()
    expect(page.get_by_role("note")).to_contain_text("Назовите число проверенных организаций.")
    page.get_by_label("Информация о ходе исполнения").fill("Проверены 42 организации.")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    page.get_by_role("link", name="Представить отчёт координатору…").click()
    page.get_by_role("button", name="Представить отчёт", exact=True).click()
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/reports/{reported.pk}/")
    expect(page.get_by_text("После возврата на доработку изменено мероприятий: 1.")).to_be_visible()
    expect(row).to_contain_text("изменено после возврата")
    expect(row).to_contain_text("текст изменён")
    expect(page.locator("header, main").first).not_to_contain_text("рассмотрен ")
    expect(page.get_by_text("до этого возвращался на доработку")).to_be_visible()


def test_deletions_ask_first_and_say_what_goes(page, portal, reported):
    from reporting import services

    services.report_return(
        report=reported, user=reported.cycle.coordinator.users.get(), comment="Доработайте."
    )
    log_in(page, portal, "mon_officer")
    # A document: the confirmation page names it; going back keeps it.
    document = Attachment.objects.get()
    page.goto(f"{portal}{document.entry.get_absolute_url()}")
    page.get_by_role("link", name="Удалить документ протокол.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("протокол.pdf")
    assert Attachment.objects.exists()  # asking changes nothing
    page.get_by_role("button", name=re.compile("^Удалить")).click()
    expect(page.get_by_role("alert").first).to_contain_text("удал")
    assert not Attachment.objects.exists()
    log_out(page)

    # A meeting with a decision: the page says the decision goes with it.
    log_in(page, portal, "mvd_secretariat")
    meeting = CommissionMeeting.objects.get()
    page.goto(f"{portal}/commissions/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Удалить…").click()
    expect(page.locator("main")).to_contain_text("решени")
    assert ProtocolDecision.objects.exists()
    page.get_by_role("button", name=re.compile("^Удалить")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert not CommissionMeeting.objects.exists() and not ProtocolDecision.objects.exists()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_report_and_the_plan_on_a_phone(page, portal, reported, language):
    """390 px: the report's table and the plan's become cards; nothing runs off the screen and
    the narrative is there to read."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": portal}])
    log_in_as(page, portal, "mon_officer")
    page.goto(f"{portal}/reports/{reported.pk}/")
    assert overflow(page) <= 1
    narrative = page.locator("td .narrative").first
    expect(narrative).to_be_visible()
    box = narrative.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] > 250  # a line of text, not a sliver of a column
    page.goto(f"{portal}/plans/{reported.cycle.plan.code}/")
    assert overflow(page) <= 1
    title = page.locator("table.plan-table tbody tr:not(.table-section) td").nth(1)
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box["x"] + box["width"] <= 390 and box["width"] > 250


def log_in_as(page, portal, username):
    """Sign in whatever the interface language (the labels are translated)."""
    page.goto(f"{portal}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{portal}/")


def overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_signing_in_by_pressing_enter(page, portal):
    page.goto(f"{portal}/login/")
    page.get_by_label("Имя пользователя").fill("mon_officer")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Пароль").press("Enter")
    page.wait_for_url(f"{portal}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Enter signs in; it does not switch the language (that form comes after the sign-in form).
    assert page.evaluate("() => document.documentElement.lang") == "ru"


def test_the_dashboards_counts_agree(page, portal, reported):
    from reporting import services
    from reporting.selectors import cycle_expected_agencies

    services.report_return(
        report=reported, user=reported.cycle.coordinator.users.get(), comment="Доработайте."
    )
    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/cycles/{reported.cycle.pk}/dashboard/")

    def counts(selector):
        return [int(text) for text in page.locator(selector).all_inner_texts()]

    (presented,) = counts('[data-share="presented"] .dash-count')
    (on_time,) = counts('[data-share="on_time"] .dash-count')
    (late,) = counts('[data-share="late"] .dash-count')
    assert presented == on_time + late == 0  # МОН's only report is back with МОН
    # The returned report shows the same in both cards, and both cards count the same whole:
    # every agency expected for the cycle.
    assert counts('[data-share="returned"] .dash-count') == [1, 1]
    cards = page.locator(".dash-shares")
    totals = [
        sum(int(t) for t in cards.nth(i).locator(".dash-count").all_inner_texts()) for i in (0, 1)
    ]
    assert totals == [len(cycle_expected_agencies(cycle=reported.cycle))] * 2
