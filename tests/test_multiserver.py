"""More than one app server: two gunicorn servers on different ports, sharing PostgreSQL, Redis
and the documents' folder, serve one signed-in session and the same documents; a sign-out on
one ends the session on the other."""

import os
import re
import subprocess
import sys
import time
import uuid

import pytest
import redis
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from agencies.models import Agency, User
from reporting import services
from tests.reporting.conftest import cycle_of
from tests.reporting.documents import PDF

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two app servers share a PostgreSQL database (SQLite is one process's file)",
    ),
    pytest.mark.django_db(transaction=True),
]
REDIS = "redis://127.0.0.1:6379/15"
PASSWORD = "two-servers-password"


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def free_ports(count):
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture
def environment(tmp_path):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": prefix,
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "shared-documents"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": "two-servers-share-this-key",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    yield env
    store = redis.Redis.from_url(REDIS)
    for key in store.scan_iter(f"{prefix}:*"):
        store.delete(key)


@pytest.fixture
def two_servers(environment):
    ports = free_ports(2)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    processes = [
        subprocess.Popen(  # noqa: S603 (the venv's gunicorn serving the portal)
            [
                gunicorn,
                "--config",
                "plan_portal/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "plan_portal.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    addresses = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for address, process in zip(addresses, processes, strict=True):
            for _ in range(100):
                try:
                    requests.get(f"{address}/login/", timeout=2)
                    break
                # Refused: not listening yet. Timed out: listening, its worker still booting
                # (on a busy machine that takes more than the 2 s).
                except (requests.ConnectionError, requests.Timeout):
                    if process.poll() is not None:
                        pytest.fail(process.stderr.read().decode())
                    time.sleep(0.2)
        yield addresses
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.fixture
def officer_and_report(transactional_db, settings):
    # The servers check passwords with the portal's own hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    officer = User.objects.create_user(
        username="mon_officer",
        password=PASSWORD,
        agency=Agency.objects.get(code="mon"),
        role=User.Role.OFFICER,
    )
    return officer, services.report_open(cycle=cycle_of(2019), agency=officer.agency)


def csrf_token(session, url) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def test_one_session_and_the_same_documents_on_two_servers(two_servers, officer_and_report):
    first, second = two_servers
    officer, report = officer_and_report
    browser = requests.Session()

    token = csrf_token(browser, f"{first}/login/")
    signed_in = browser.post(
        f"{first}/login/",
        data={"username": officer.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{first}/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]

    # The other server knows the session (it is in the database, read through Redis).
    home = browser.get(f"{second}/", timeout=10)
    assert home.status_code == 200 and officer.agency.name in home.text
    assert any(redis.Redis.from_url(REDIS).scan_iter("*session*"))

    # A document uploaded through one server is downloaded through the other.
    entry = report.entries.order_by("measure__position").first()
    entry_url = f"{second}/reports/{report.pk}/entries/{entry.pk}/"
    saved = browser.post(
        entry_url,
        data={
            "status": "done",
            "narrative": "Проведено 12 проверок.",
            "version": entry.version,
            "csrfmiddlewaretoken": csrf_token(browser, entry_url),
        },
        files={"documents": ("протокол.pdf", PDF, "application/pdf")},
        headers={"Referer": entry_url},
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 302, saved.text[:500]
    attachment = entry.attachments.get()
    download = browser.get(f"{first}/documents/{attachment.pk}/", timeout=10)
    assert download.status_code == 200 and download.content == PDF
    assert "attachment" in download.headers["Content-Disposition"]

    # Signing out on one server ends the session on both.
    browser.post(
        f"{first}/logout/",
        data={"csrfmiddlewaretoken": csrf_token(browser, f"{first}/")},
        headers={"Referer": f"{first}/"},
        timeout=10,
    )
    after = browser.get(f"{second}/", allow_redirects=False, timeout=10)
    assert after.status_code == 302 and "/login/" in after.headers["Location"]
