"""The registers in a browser: an akimat records its regional commission's meeting with the
protocol, the secretariat sees the gaps, an agency marks a decision done."""

import datetime

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, User
from commissions.models import CommissionMeeting
from tests.browser.conftest import PASSWORD, log_in, log_out
from tests.reporting.documents import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_akimat_records_a_meeting_and_the_secretariat_sees_it(page, portal, reported):
    User.objects.create_user(
        username="almaty_officer",
        password=PASSWORD,
        agency=Agency.objects.get(code="akimat-almaty"),
    )
    log_in(page, portal, "almaty_officer")
    page.get_by_role("link", name="Комиссии").click()
    page.get_by_role("link", name="Записать заседание региональной комиссии").click()
    page.get_by_label("Дата заседания").fill("2019-09-12")
    page.get_by_label("Номер протокола").fill("2")
    page.get_by_label("Повестка дня").fill("О выявлении фактов принудительного труда")
    page.get_by_label("Протокол заседания").set_input_files(
        {"name": "протокол 2.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("alert").first).to_contain_text("Заседание записано")
    expect(page.get_by_role("link", name="протокол 2.pdf")).to_be_visible()
    meeting = CommissionMeeting.objects.get(agency__code="akimat-almaty")
    assert meeting.held_on == datetime.date(2019, 9, 12)
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/commissions/compliance/")
    almaty = page.get_by_role("row", name="Акимат города Алматы")
    expect(almaty.locator("td.halfyear-met")).to_have_count(1)
    expect(almaty.locator("td.halfyear-missed")).to_have_count(4)
    national = page.get_by_role("row", name="Межведомственная комиссия")
    expect(national.locator("td.halfyear-met")).to_have_count(1)


def test_an_agency_marks_its_part_of_a_decision_done(page, portal, reported):
    log_in(page, portal, "mon_officer")
    expect(page.get_by_text("из них просрочено: 1")).to_be_visible()
    page.get_by_role("link", name="Открыть поручения").click()
    page.get_by_label("Что сделано").fill("Проверено 120 организаций образования.")
    page.get_by_role("button", name="Отметить исполнение").click()
    expect(page.get_by_role("alert").first).to_contain_text("Исполнение поручения отмечено")
    expect(page.get_by_text("с опозданием", exact=True)).to_be_visible()
    log_out(page)

    log_in(page, portal, "mvd_secretariat")
    page.goto(f"{portal}/commissions/assignments/?state=overdue")
    expect(page.get_by_text("Поручений нет.")).to_be_visible()
