"""The second factor in a browser: the МВД secretariat enrols an authenticator app through the
real pages, then signs in again with a fresh code. The "app" is django-otp's TOTP in Python,
fed with the secret the page shows."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_password(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def app_code(key: bytes, drift: int = 0) -> str:
    """What the authenticator app shows, `drift` steps of 30 seconds from now."""
    return f"{TOTP(key, drift=drift).token():06d}"


def test_the_secretariat_enrols_and_signs_in_with_a_code(page, portal, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True
    csp_errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and csp_errors.append(message),
    )

    # The password is not enough: every page leads to enrolment first.
    sign_in_with_password(page, portal, "mvd_secretariat")
    page.wait_for_url(re.compile(r"/account/two-factor/enrol/"))
    page.goto(f"{portal}/reports/")
    page.wait_for_url(re.compile(r"/account/two-factor/enrol/\?next=%2Freports%2F"))
    expect(
        page.get_by_role("heading", name="Подключение приложения-аутентификатора")
    ).to_be_visible()
    expect(page.locator("svg title")).to_have_text("QR-код для приложения-аутентификатора")
    assert page.locator("svg").last.bounding_box()["width"] >= 200

    # The "phone" reads the secret shown for manual entry.
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Код из приложения").fill(app_code(key))
    page.get_by_role("button", name="Подключить").click()

    expect(page.get_by_role("heading", name="Коды восстановления")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Сохраните эти коды")).to_be_visible()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.get_by_role("link", name="Коды сохранены, продолжить").click()
    page.wait_for_url(f"{portal}/reports/")

    page.locator("a.navbar-account").click()  # the account: its security page
    expect(page.get_by_text("Включена", exact=True)).to_be_visible()
    log_out(page)

    # Signing in again asks for the code, and the one used to enrol does not pass twice.
    sign_in_with_password(page, portal, "mvd_secretariat")
    page.wait_for_url(re.compile(r"/account/two-factor/\?next=%2F$"))
    page.get_by_label("Код").fill(app_code(key))
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        re.compile("Этот код уже использован|Неверный код")
    )
    page.wait_for_timeout(1100)  # django-otp makes the next try after a refusal wait a second

    # A fresh code: the next 30-second step from the server's view of the app's clock (the
    # device's drift), which is later than the step of the enrolment code.
    device = TOTPDevice.objects.get(user__username="mvd_secretariat")
    page.get_by_label("Код").fill(app_code(key, drift=device.drift + 1))
    page.get_by_role("button", name="Подтвердить").click()
    page.wait_for_url(f"{portal}/")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    assert csp_errors == []
