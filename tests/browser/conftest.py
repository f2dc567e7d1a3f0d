"""Browser tests: a real Chromium (Debian's package, headless) drives the portal served by
pytest-django's live_server. Without /usr/bin/chromium they are skipped, and `make test` says
so; `.ci/run` installs it so that CI always runs them."""

import os
import shutil

import pytest
from django.core.management import call_command

from agencies.models import Agency, User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-password"

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# between browser steps are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests not run")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "ru-RU"}


@pytest.fixture
def portal(live_server, transactional_db, settings):
    """The live server with the plan loaded and the cast of users; returns its base URL."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    for username, code, role in [
        ("mon_officer", "mon", User.Role.OFFICER),
        ("mvd_secretariat", "mvd", User.Role.SECRETARIAT),
    ]:
        User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.kz",
            agency=Agency.objects.get(code=code),
            role=role,
        )
    return live_server.url


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{base_url}/")


def log_out(page):
    page.get_by_role("button", name="Выйти").click()


@pytest.fixture
def reported(portal):
    """МОН's 2019 report submitted with a document, and the 2019 summary generated."""
    from reporting import services
    from tests.reporting.conftest import cycle_of, fill
    from tests.reporting.documents import PDF, upload

    officer = User.objects.get(username="mon_officer")
    report = services.report_open(cycle=cycle_of(2019), agency=officer.agency)
    fill(report, officer)
    services.attachment_add(
        entry=report.entries.first(), user=officer, file=upload("протокол.pdf", PDF)
    )
    services.report_submit(report=report, user=officer)
    secretariat = User.objects.get(username="mvd_secretariat")
    services.summary_generate(cycle=report.cycle, user=secretariat)
    _commission_meeting(secretariat, officer.agency)
    return report


def _commission_meeting(secretariat, agency):
    """A meeting of the interdepartmental commission with a decision addressed to `agency`."""
    import datetime

    from commissions import services

    meeting = services.meeting_record(
        user=secretariat,
        agency=None,
        held_on=datetime.date(2019, 3, 14),
        protocol_number="1",
        agenda="О ходе исполнения Плана мероприятий за 2018 год",
    )
    services.decision_add(
        meeting=meeting,
        user=secretariat,
        number="1",
        text="Представить сведения о проведённых проверках.",
        due_date=datetime.date(2019, 6, 1),
        agencies=[agency],
    )


def main_pages(report):
    """(name, path, who) of the portal's main pages, given a submitted report of МОН (and the
    commission's meeting the `reported` fixture records)."""
    from commissions.models import CommissionMeeting

    cycle = report.cycle
    plan = cycle.plan.code
    meeting = CommissionMeeting.objects.get()
    return [
        ("meetings", "/commissions/", "mon_officer"),
        ("assignments", "/commissions/assignments/", "mon_officer"),
        ("meeting", f"/commissions/meetings/{meeting.pk}/", "mvd_secretariat"),
        ("meeting_form", "/commissions/meetings/new/", "mvd_secretariat"),
        ("compliance", "/commissions/compliance/", "mvd_secretariat"),
        ("regional_plans", "/commissions/regional-plans/", "mvd_secretariat"),
        ("home", "/", "mon_officer"),
        ("report", f"/reports/{report.pk}/", "mon_officer"),
        ("plan", f"/plans/{plan}/", "mon_officer"),
        ("measure", f"/plans/{plan}/measures/3.4/", "mon_officer"),
        ("agencies", "/agencies/", "mon_officer"),
        ("agency", "/agencies/mtszn/", "mon_officer"),
        ("report_list", "/reports/", "mvd_secretariat"),
        ("dashboard", f"/cycles/{cycle.pk}/dashboard/", "mvd_secretariat"),
        ("summary", f"/cycles/{cycle.pk}/summary/", "mvd_secretariat"),
        ("review", f"/reports/{report.pk}/", "mvd_secretariat"),
        (
            "summary_item",
            f"/cycles/{cycle.pk}/summary/items/{cycle.summary.items.first().pk}/",
            "mvd_secretariat",
        ),
    ]
