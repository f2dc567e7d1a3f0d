"""The second factor of sign-in (django-otp, TOTP): the secretariat and admins must enrol an
authenticator app and pass its code after the password; officers may, and are then asked too."""

import datetime
import re
from base64 import b32encode
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import services
from tests.conftest import PASSWORD
from tests.reporting.conftest import cycle_2019, mon_report  # noqa: F401 (fixtures)
from tests.test_security import assert_security_headers, portal_urls
from tests.test_security import world as portal_objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")
HOME = reverse("home")
# Pages an unverified user may open: the steps themselves and the way out.
OPEN_TO_UNVERIFIED = {"two_factor_verify", "two_factor_enrol", "logout"}


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True


@pytest.fixture
def clock():
    """Time stands still unless a test moves it: TOTP codes change every 30 seconds."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def current_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def next_code(clock, device) -> str:
    """The code of the next 30-second step: a code once accepted is refused afterwards."""
    clock.shift(datetime.timedelta(seconds=device.step))
    return current_code(device)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """The user with a confirmed authenticator app and 10 recovery codes (as the pages do it)."""
    device = services.totp_device_start(user=user)
    codes = services.totp_device_confirm(device=device, code=current_code(device))
    device.refresh_from_db()
    return device, codes


def verify(client, code, next_url=HOME):
    return client.post(VERIFY, {"code": code, "next": next_url})


def with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}"


@pytest.mark.parametrize("who", ["mvd_secretariat", "admin_user"])
def test_without_an_authenticator_every_page_leads_to_enrolment(client, who, request):
    client.force_login(request.getfixturevalue(who))
    objects = request.getfixturevalue("portal_objects")
    urls = {
        name: url for name, url in portal_urls(objects).items() if name not in OPEN_TO_UNVERIFIED
    }
    urls |= {"admin": reverse("admin:index"), "admin_users": "/admin/agencies/user/"}
    for name, url in urls.items():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method)
            assert response.url == with_next(ENROL, url), (name, method)
    assert client.get(ENROL).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_without_inline_style(client, mvd_secretariat):
    client.force_login(mvd_secretariat)
    response = client.get(ENROL)

    device = TOTPDevice.objects.get(user=mvd_secretariat)
    assert not device.confirmed
    page = response.content.decode()
    assert re.search(r"<svg [^>]*><title>QR-код для приложения-аутентификатора</title><g ", page)
    assert "data:image" not in page and "style=" not in page and "<style" not in page
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert shown.replace(" ", "") == secret
    assert_security_headers(response, "enrolment")
    # A reload shows the same pending device, not a new secret.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=mvd_secretariat).count() == 1


def test_enrolment_is_confirmed_by_a_first_code_and_shows_recovery_codes_once(
    client, mvd_secretariat, clock
):
    client.force_login(mvd_secretariat)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=mvd_secretariat)

    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(ENROL, {"code": wrong, "next": "/reports/"})
    assert refused.status_code == 200 and "Неверный код." in refused.content.decode()
    assert client.get(HOME).url == with_next(ENROL, HOME)

    clock.shift(2)  # django-otp makes the next try after a wrong code wait a second
    confirmed = client.post(ENROL, {"code": current_code(device), "next": "/reports/"})
    assert confirmed.url == with_next(reverse("recovery_codes"), "/reports/")
    device.refresh_from_db()
    assert device.confirmed

    page = client.get(confirmed.url).content.decode()
    codes = re.findall(r'<li class="col mb-1">([a-z2-7]{8})</li>', page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert "Сохраните эти коды" in page and 'href="/reports/"' in page
    # Shown once: a reload shows no codes.
    assert client.get(confirmed.url).url == reverse("security")
    # Verified now: every page opens.
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("report_list")).status_code == 200


def test_with_an_authenticator_the_code_is_asked_after_the_password(client, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    clock.shift(60)

    signed_in = client.post(
        reverse("login") + "?next=/reports/",
        {"username": "mvd_secretariat", "password": PASSWORD, "next": "/reports/"},
    )
    assert signed_in.url == "/reports/"
    asked = client.get("/reports/")
    assert asked.url == with_next(VERIFY, "/reports/")
    for url in (HOME, reverse("plan_list"), reverse("security"), "/admin/"):
        assert client.get(url).url == with_next(VERIFY, url)
    # No second enrolment instead of the code.
    assert client.get(ENROL).url == with_next(VERIFY, HOME)
    page = client.get(asked.url).content.decode()
    assert "Подтверждение входа" in page and 'name="code"' in page

    key_before = client.session.session_key
    response = verify(client, current_code(device), next_url="/reports/")
    assert response.url == "/reports/"
    assert client.get("/reports/").status_code == 200
    assert client.session.session_key != key_before  # a new session id for the stronger sign-in


def test_the_admin_site_asks_for_the_code_too(client, admin_user, clock):
    device, _codes = enrol(admin_user)
    clock.shift(60)
    client.force_login(admin_user)
    assert client.get("/admin/").url == with_next(VERIFY, "/admin/")
    assert verify(client, current_code(device), next_url="/admin/").url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    code = next_code(clock, device)
    client.force_login(mvd_secretariat)
    assert verify(client, code).url == HOME
    client.post(reverse("logout"))

    client.force_login(mvd_secretariat)
    replayed = verify(client, code)  # the same code, still within its 30 seconds
    assert replayed.status_code == 200
    assert "Этот код уже использован" in replayed.content.decode()
    assert client.get(HOME).url == with_next(VERIFY, HOME)

    assert verify(client, next_code(clock, device)).url == HOME


def test_a_wrong_code_is_refused_and_counted(client, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    code = next_code(clock, device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    refused = verify(client, wrong)
    assert refused.status_code == 200 and "Неверный код." in refused.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Right away even the right code waits (django-otp's throttling: 1, 2, 4… seconds).
    throttled = verify(client, code)
    assert "Слишком много неверных кодов подряд" in throttled.content.decode()
    assert client.get(HOME).status_code == 302

    clock.shift(2)
    assert verify(client, code).url == HOME
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(client, mvd_secretariat, clock):
    _device, codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    response = verify(client, codes[0].upper())  # as the user may type it
    assert response.url == HOME
    page = client.get(HOME).content.decode()
    assert "Вы вошли по коду восстановления" in page and "Осталось кодов: 9." in page
    client.post(reverse("logout"))

    client.force_login(mvd_secretariat)
    assert "Неверный код." in verify(client, codes[0]).content.decode()
    clock.shift(2)
    assert verify(client, codes[1]).url == HOME
    assert StaticToken.objects.filter(device__user=mvd_secretariat).count() == 8


def test_new_recovery_codes_replace_the_old_ones(client, mvd_secretariat, clock):
    device, old_codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    verify(client, next_code(clock, device))
    assert "Неиспользованных кодов восстановления: 10." in (
        client.get(reverse("security")).content.decode()
    )

    response = client.post(reverse("recovery_codes_generate"))
    page = client.get(response.url).content.decode()
    new_codes = re.findall(r'<li class="col mb-1">([a-z2-7]{8})</li>', page)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)

    client.post(reverse("logout"))
    client.force_login(mvd_secretariat)
    assert "Неверный код." in verify(client, old_codes[0]).content.decode()
    clock.shift(2)
    assert verify(client, new_codes[0]).url == HOME


@pytest.mark.parametrize("who", ["mon_officer", "observer"])
def test_officers_and_observers_choose_and_are_then_asked(client, who, request, clock):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    security = client.get(reverse("security")).content.decode()
    assert "Выключена" in security and ENROL in security

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    assert client.post(ENROL, {"code": current_code(device)}).status_code == 302
    assert "Включена" in client.get(reverse("security")).content.decode()
    client.post(reverse("logout"))

    client.force_login(user)
    assert client.get(HOME).url == with_next(VERIFY, HOME)
    assert verify(client, next_code(clock, device)).url == HOME
    assert client.get(HOME).status_code == 200


def test_enrolment_is_not_offered_twice(client, mon_officer, clock):
    device, _codes = enrol(mon_officer)
    client.force_login(mon_officer)
    verify(client, next_code(clock, device))
    assert client.get(ENROL).url == reverse("security")
    assert TOTPDevice.objects.filter(user=mon_officer).count() == 1


def test_enrolled_in_another_session_this_one_asks_for_the_code(client, mvd_secretariat, clock):
    client.force_login(mvd_secretariat)  # no authenticator yet at this sign-in
    assert client.get(HOME).url == with_next(ENROL, HOME)
    device, _codes = enrol(mvd_secretariat)  # meanwhile, in another browser

    assert client.get(with_next(ENROL, HOME)).url == with_next(VERIFY, HOME)
    assert client.get(HOME).url == with_next(VERIFY, HOME)
    assert verify(client, next_code(clock, device)).url == HOME


def test_logout_works_before_the_code_and_the_next_sign_in_asks_again(
    client, mvd_secretariat, clock
):
    device, _codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    key = client.session.session_key
    assert client.post(reverse("logout")).url == reverse("login")
    assert not Session.objects.filter(session_key=key).exists()

    client.force_login(mvd_secretariat)
    verify(client, next_code(clock, device))
    client.post(reverse("logout"))
    client.force_login(mvd_secretariat)
    assert client.get(HOME).url == with_next(VERIFY, HOME)


def test_session_lifetime_rules_apply_before_and_after_the_code(client, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    clock.shift(datetime.timedelta(minutes=31))  # idle on the code page
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))

    client.force_login(mvd_secretariat)
    verify(client, next_code(clock, device))
    assert client.get(HOME).status_code == 200
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_next_page_stays_on_this_site(client, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    client.force_login(mvd_secretariat)
    response = verify(client, next_code(clock, device), next_url="https://evil.example/")
    assert response.url == HOME


def test_an_admin_resets_a_lost_phone(client, admin_user, mvd_secretariat, clock):
    device, _codes = enrol(mvd_secretariat)
    secretariat = Client()
    secretariat.force_login(mvd_secretariat)
    assert verify(secretariat, next_code(clock, device)).url == HOME

    admin_device, _admin_codes = enrol(admin_user)
    client.force_login(admin_user)
    verify(client, next_code(clock, admin_device))
    response = client.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [mvd_secretariat.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=mvd_secretariat).exists()
    assert not StaticToken.objects.filter(device__user=mvd_secretariat).exists()
    # The admin's own devices stay.
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()

    # The secretariat's session is no longer verified and must enrol a new phone.
    assert secretariat.get(HOME).url == with_next(VERIFY, HOME)
    assert secretariat.get(with_next(VERIFY, HOME)).url == with_next(ENROL, HOME)


def test_admins_see_devices_but_not_their_secrets(client, admin_user, mvd_secretariat, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = False
    device, _codes = enrol(mvd_secretariat)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert changelist.status_code == 200 and "mvd_secretariat" in changelist.content.decode()
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert device.key not in change.content.decode()
