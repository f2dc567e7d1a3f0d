"""Production settings, security headers on every page, sign-in lockout and session lifetime."""

import datetime
import os
import secrets
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import get_resolver, reverse

from agencies.models import Agency, User
from commissions import services as commission_services
from reporting import services
from tests.conftest import PASSWORD, PLAN_CODE
from tests.reporting.conftest import cycle_2019, fill, mon_report  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def world(mon_report, mon_officer, mvd_secretariat):  # noqa: F811 (the imported fixture)
    from tests.reporting.documents import PDF, upload

    fill(mon_report, mon_officer)
    entry = mon_report.entries.first()
    document = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    services.report_submit(report=mon_report, user=mon_officer)
    services.summary_generate(cycle=mon_report.cycle, user=mvd_secretariat)
    item = mon_report.cycle.summary.items.first()
    meeting = commission_services.meeting_record(
        user=mvd_secretariat, agency=None, held_on=datetime.date(2019, 3, 14),
        protocol_number="1", agenda="Повестка", document=upload("p.pdf", PDF),
    )  # fmt: skip
    decision = commission_services.decision_add(
        meeting=meeting, user=mvd_secretariat, number="1", text="Решение",
        due_date=datetime.date(2019, 6, 1), agencies=[mon_report.agency],
    )  # fmt: skip
    almaty = User.objects.create_user(
        username="almaty.plan", agency=Agency.objects.get(code="akimat-almaty")
    )
    regional_plan = commission_services.regional_plan_record(
        plan=mon_report.cycle.plan, agency=almaty.agency, user=almaty, act="Постановление",
        act_number="1", approved_on=datetime.date(2018, 10, 20), document=upload("r.pdf", PDF),
    )  # fmt: skip
    return {
        "report": mon_report,
        "entry": entry,
        "document": document,
        "item": item,
        "meeting": meeting,
        "decision": decision,
        "regional_plan": regional_plan,
    }


def portal_urls(world):
    """Every URL of the portal's own apps, with real arguments."""
    report, cycle = world["report"], world["report"].cycle
    meeting, decision = world["meeting"], world["decision"]
    assignment, regional_plan = decision.assignments.get(), world["regional_plan"]
    args = {
        "home": [], "plan_list": [], "agency_list": [], "report_list": [], "login": [],
        "logout": [], "plan_detail": [PLAN_CODE], "measure_detail": [PLAN_CODE, "3.4"],
        "agency_detail": ["mon"], "report_start": [cycle.pk], "report_detail": [report.pk],
        "report_submit": [report.pk], "report_accept": [report.pk], "report_return": [report.pk],
        "report_reopen": [report.pk], "entry_add": [report.pk],
        "report_workbook": [report.pk], "report_upload": [report.pk],
        "entry_edit": [report.pk, world["entry"].pk], "entry_remove": [report.pk, world["entry"].pk],
        "attachment_download": [world["document"].pk], "attachment_delete": [world["document"].pk],
        "cycle_dashboard": [cycle.pk], "cycle_entries_xlsx": [cycle.pk],
        "summary_detail": [cycle.pk], "summary_generate": [cycle.pk], "summary_send": [cycle.pk],
        "summary_item_edit": [cycle.pk, world["item"].pk], "summary_xlsx": [cycle.pk],
        "summary_docx": [cycle.pk], "security": [], "two_factor_verify": [],
        "two_factor_enrol": [], "recovery_codes": [], "recovery_codes_generate": [],
        "audit_log": [], "meeting_list": [], "meeting_create": [],
        "meeting_detail": [meeting.pk], "meeting_edit": [meeting.pk],
        "meeting_delete": [meeting.pk], "meeting_document": [meeting.pk],
        "decision_add": [meeting.pk], "decision_edit": [decision.pk],
        "decision_delete": [decision.pk], "assignment_list": [],
        "assignment_complete": [assignment.pk], "assignment_reopen": [assignment.pk],
        "commission_compliance": [], "regional_plan_list": [],
        "regional_plan_edit": [PLAN_CODE], "regional_plan_document": [regional_plan.pk],
        "public_plan_list": [], "public_plan_detail": [PLAN_CODE], "api_not_found": ["v1/x"],
        **{f"api:{name}": [] for name in API_LISTS}, "api:plan_detail": [PLAN_CODE],
        "api:measure_detail": [world["entry"].measure_id], "api:agency_detail": ["mon"],
        "api:summary_detail": [PLAN_CODE, 2019], "api:openapi-json": [],
        "api:openapi-view": [], "api:api-root": [],
    }  # fmt: skip
    return {name: reverse(name, args=a) for name, a in args.items()}


API_LISTS = ["plan_list", "section_list", "measure_list", "cycle_list", "agency_list",
             "summary_list", "summary_line_list"]  # fmt: skip
# What a visitor who has not signed in may open (each is also in portal_urls): the sign-in
# page, the public pages, and the API's description. The API's data ask for a token (401);
# logout takes a POST only; every other page sends the visitor to sign in.
OPEN_TO_ANONYMOUS = {"login", "public_plan_list", "public_plan_detail", "api:openapi-json",
                     "api:openapi-view"}  # fmt: skip


def test_anonymous_visitors_reach_only_the_allow_list(client, world):
    from publication.api import api

    api_operations = {f"api:{name}" for name in (p.name for p in api.urls[0])}
    for name, url in portal_urls(world).items():
        response = client.get(url)
        if name in OPEN_TO_ANONYMOUS:
            assert response.status_code == 200, name
        elif name in {"api_not_found", "api:api-root"}:  # /api/v1/ itself has no data
            assert response.status_code == 404, name
            assert response.json()["error"] == "not_found", name
        elif name in api_operations:
            assert response.status_code == 401, name
            assert response.json()["error"] == "missing_token", name
        elif name == "logout":
            assert response.status_code == 405, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name


def test_the_api_s_routes_are_all_checked(world):
    from publication.api import api

    assert {f"api:{p.name}" for p in api.urls[0]} <= set(portal_urls(world))


def named_routes(patterns=None, namespace=""):
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if getattr(pattern, "namespace", None) == "admin" or "i18n" in str(pattern.pattern):
            continue
        if hasattr(pattern, "url_patterns"):  # an include, maybe with a namespace (the API's)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_route_is_checked(world):
    assert named_routes() <= set(portal_urls(world))


def assert_security_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
        "default-src 'self'",
    ):
        assert directive in csp, (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where


@pytest.mark.parametrize("who", ["anonymous", "mon_officer", "mvd_secretariat", "observer"])
def test_security_headers_on_every_page(client, world, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name, url in portal_urls(world).items():
        response = client.get(url)
        assert_security_headers(response, f"{who} GET {name} → {response.status_code}")


def test_security_headers_on_errors_and_the_admin(client, admin_user):
    client.force_login(admin_user)
    for url in ("/no-such-page/", "/admin/", "/admin/reporting/annualreport/", "/plans/x/"):
        assert_security_headers(client.get(url), url)


@pytest.mark.parametrize("ssl_redirect", [False, True])
def test_security_headers_on_the_400_for_a_bad_host(client, settings, ssl_redirect):
    # With the redirect to https on, SecurityMiddleware itself is the first to read the host.
    settings.SECURE_SSL_REDIRECT = ssl_redirect
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response, f"bad host, redirect {ssl_redirect}")


def test_security_headers_on_static_files(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert_security_headers(response, "a static file")


def test_hsts_on_static_files_over_https(client):
    response = client.get("/static/css/portal.css", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_mode_redirects_to_https_and_sends_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_cookies_are_secure_and_http_only(client, mon_officer):
    response = client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"]


def run_check_deploy(**env):
    # DJANGO_ALLOW_ASYNC_UNSAFE: set in this process by the browser tests, never in production.
    dropped = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    # Empty rather than absent: a developer's .env (`make serve` writes a key there) must not
    # fill it in.
    environment["SECRET_KEY"] = ""
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = run_check_deploy(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="portal.gov.kz"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_secret_key_is_a_clear_start_up_error():
    result = run_check_deploy(DEBUG="0", ALLOWED_HOSTS="portal.gov.kz")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


# Sign-in lockout (django-axes)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def attempt(client, password, address="10.0.0.1", username="mon_officer"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_username_and_address_for_15_minutes(client, mon_officer, axes_on):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.content.decode()
    # Even the right password is refused now, from that address.
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the same username signs in.
    assert attempt(client, PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    now = datetime.datetime.now(tz=UTC)
    with time_machine.travel(now + datetime.timedelta(minutes=14)):
        assert attempt(client, PASSWORD).status_code == 429  # a try while locked counts too
    with time_machine.travel(now + datetime.timedelta(minutes=14 + 16)):
        assert attempt(client, PASSWORD).status_code == 302


def test_an_admin_unlocks(client, mon_officer, admin_user, axes_on):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    client.force_login(admin_user)
    attempt_row = AccessAttempt.objects.get(username="mon_officer")
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt_row.pk]), {"post": "yes"})
    client.logout()
    assert attempt(client, PASSWORD).status_code == 302


def test_password_validators_are_on():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


# Sessions


def test_the_session_id_changes_at_sign_in(client, mon_officer):
    client.get(reverse("login"))
    client.session["probe"] = 1  # an anonymous session exists
    before = client.session.session_key
    client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    assert client.session.session_key != before


def test_logout_ends_the_session_on_the_server(client, mon_officer):
    client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_ends_after_30_idle_minutes(client, mon_officer):
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=58), tick=False):
        assert client.get(reverse("home")).status_code == 200  # 29 minutes after the last
    with time_machine.travel(start + datetime.timedelta(minutes=89), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_ends_12_hours_after_sign_in_however_active(client, mon_officer):
    start = datetime.datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "mon_officer", "password": PASSWORD})
    for minutes in range(20, 12 * 60, 20):  # busy all day
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=5), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_behind_the_proxy_the_lockout_is_per_client_address(client, mon_officer, axes_on, settings):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "mon_officer", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **proxy,
        )
    locked = client.post(
        reverse("login"),
        {"username": "mon_officer", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    other = client.post(
        reverse("login"),
        {"username": "mon_officer", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        **proxy,
    )
    assert other.status_code == 302
