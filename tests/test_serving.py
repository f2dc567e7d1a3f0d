"""Serving in production: gunicorn's settings, and the database `make serve` creates."""

import http.client
import io
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

CONFIG = Path(settings.BASE_DIR) / "plan_portal" / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "BEHIND_TLS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_gunicorn_defaults(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert 3 <= config["workers"] <= 9
    assert config["timeout"] > 0
    # Paths without query strings, no referrer: filters and "next" may hold data.
    assert "%(U)s" in config["access_log_format"]
    for leaking in ("%(r)s", "%(q)s", "%(f)s"):
        assert leaking not in config["access_log_format"]
    assert config["forwarded_allow_ips"] == ""  # X-Forwarded-Proto believed from nobody


def test_gunicorn_from_the_environment(monkeypatch):
    config = gunicorn_settings(
        monkeypatch, GUNICORN_BIND="unix:/run/plan-portal.sock", GUNICORN_WORKERS="3"
    )
    assert (config["bind"], config["workers"]) == ("unix:/run/plan-portal.sock", 3)


def test_gunicorn_believes_the_local_proxy_only_behind_one(monkeypatch):
    config = gunicorn_settings(monkeypatch, BEHIND_TLS_PROXY="1")
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """The portal under gunicorn with its configuration, in production mode as `make serve`
    runs it (DEBUG off, a key set, plain http); a connection to it."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "serving-test-only",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, arguments of our own)
        [str(gunicorn), "--config", str(CONFIG), "plan_portal.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        def get(path, host="127.0.0.1"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            response.read()
            connection.close()
            return response

        yield get
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_does_not_name_itself_and_every_response_has_the_headers(gunicorn):
    for what, response in {
        "a redirect to the sign-in page": gunicorn("/"),
        "a static file": gunicorn("/static/css/portal.css"),
        "a bad host": gunicorn("/", host="evil.example"),
    }.items():
        assert response.getheader("Server") is None, (what, response.getheader("Server"))
        assert response.getheader("X-Content-Type-Options") == "nosniff", what
        assert response.getheader("X-Frame-Options") == "DENY", what
        assert response.getheader("Referrer-Policy") == "same-origin", what
        assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy", ""), what
    assert gunicorn("/", host="evil.example").status == 400


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite needs no database created: migrate makes the file",
)
def test_ensure_database_creates_a_missing_database_once(monkeypatch):
    name = f"test_plan_portal_ensure_{os.getpid()}"
    server = {
        "host": connection.settings_dict["HOST"] or None,
        "port": connection.settings_dict["PORT"] or None,
        "user": connection.settings_dict["USER"] or None,
        "password": connection.settings_dict["PASSWORD"] or None,
    }

    def exists():
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            return admin.execute(query, [name]).fetchone() is not None

    # The command reads the connection's settings only; it never opens the Django connection.
    monkeypatch.setitem(connection.settings_dict, "NAME", name)
    try:
        out = io.StringIO()
        call_command("ensure_database", stdout=out)
        call_command("ensure_database", stdout=out)
        assert exists()
        assert out.getvalue().splitlines() == [
            f"Database {name} created.",
            f"Database {name} exists.",
        ]
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
