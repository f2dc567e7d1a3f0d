"""Backups: `backup` then `restore` into a fresh, empty database gives back every report, entry
and document, byte for byte.

The data must be committed for pg_dump to see it (transactional_db): pytest-django runs these
tests after the ones that roll back, and they load the plan themselves. The restore goes into a
second database configured at runtime: a new PostgreSQL database on the same server, or a new
SQLite file.
"""

import contextlib
import hashlib
import io
import json
import os
import re
import sqlite3
import tarfile

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from agencies.models import Agency, User
from operations import backups
from reporting import services
from reporting.models import AnnualReport, Attachment, ReportEntry, Summary
from tests.reporting.conftest import cycle_of, fill
from tests.reporting.documents import PDF, PNG, office, upload


@pytest.fixture
def portal_data(transactional_db, settings, tmp_path):
    """A submitted and accepted report with documents, a draft, and a sent summary (whose files
    are documents too), all committed."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    mon = Agency.objects.get(code="mon")
    officer = User.objects.create_user(
        username="mon_officer", password="x", agency=mon, role=User.Role.OFFICER
    )
    secretariat = User.objects.create_user(
        username="mvd_secretariat",
        password="x",
        agency=Agency.objects.get(code="mvd"),
        role=User.Role.SECRETARIAT,
    )
    report = fill(services.report_open(cycle=cycle_of(2019), agency=mon), officer)
    entry = report.entries.order_by("measure__position").first()
    for name, content in [
        ("протокол №1.pdf", PDF),
        ("фото.png", PNG),
        ("план.docx", office("docx")),
    ]:
        services.attachment_add(entry=entry, user=officer, file=upload(name, content))
    services.report_submit(report=report, user=officer)
    services.report_accept(report=report, user=secretariat)
    summary = services.summary_generate(cycle=cycle_of(2019), user=secretariat)
    services.summary_send(summary=summary, user=secretariat)
    draft = services.report_open(cycle=cycle_of(2020), agency=mon)
    services.entry_update(
        entry=draft.entries.first(),
        user=officer,
        status="in_progress",
        narrative="Черновик: «кавычки», emoji 🙂, עברית.",
        version=1,
    )
    return settings.PRIVATE_MEDIA_ROOT


def state():
    """Everything a restore must give back."""
    return {
        "reports": list(
            AnnualReport.objects.order_by("pk").values_list(
                "pk", "cycle_id", "agency_id", "state", "submitted_at", "reviewed_at", "is_late"
            )
        ),
        "entries": list(
            ReportEntry.objects.order_by("pk").values_list(
                "pk", "report_id", "measure_id", "status", "narrative", "version"
            )
        ),
        "attachments": list(
            Attachment.objects.order_by("pk").values_list(
                "pk", "entry_id", "original_name", "file", "size", "content_type"
            )
        ),
        "summaries": list(
            Summary.objects.order_by("pk").values_list(
                "pk", "state", "sent_at", "sent_xlsx", "sent_docx"
            )
        ),
        "history": (
            AnnualReport.history.count(),
            ReportEntry.history.count(),
        ),
        "users": list(User.objects.order_by("pk").values_list("username", "password")),
    }


def document_names():
    names = set(Attachment.objects.values_list("file", flat=True))
    for xlsx, docx in Summary.objects.values_list("sent_xlsx", "sent_docx"):
        names |= {xlsx, docx}
    return names


def files_under(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """The name of a second, empty database: a new database on the same PostgreSQL server
    (dropped afterwards), or a new SQLite file."""
    if connection.vendor != "postgresql":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"test_plan_portal_restore_{os.getpid()}"
    server = {
        "host": connection.settings_dict["HOST"] or None,
        "port": connection.settings_dict["PORT"] or None,
        "user": connection.settings_dict["USER"] or None,
        "password": connection.settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextlib.contextmanager
def default_connection_to(name):
    """The default connection pointed at another database for a while, as a restore on another
    machine would configure it. (A second alias added at runtime is refused by the test case's
    guard on connections.)"""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def test_backup_then_restore_into_a_fresh_database_gives_everything_back(
    portal_data, empty_database, settings, tmp_path
):
    before = state()
    documents = files_under(portal_data)
    assert len(before["attachments"]) == 3 and len(documents) == 5  # 3 uploads, 2 summary files
    assert document_names() == set(documents)

    call_command("backup", dir=str(tmp_path / "backups"), stdout=io.StringIO())

    (folder,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"\d{8}-\d{6}", folder.name)  # YYYYmmdd-HHMMSS
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"] == {name: len(before[name]) for name in backups.COUNTED}
    assert manifest["documents"] == {"file": "documents.tar.gz", "files": 5, "missing": []}
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored_media"
    with default_connection_to(empty_database):
        call_command("restore", str(folder), stdout=io.StringIO())
        after = state()

    assert after == before
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == documents
    if connection.vendor == "sqlite":
        with contextlib.closing(sqlite3.connect(empty_database)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT COUNT(*) FROM reporting_attachment").fetchone() == (3,)


def test_restore_refuses_a_database_that_is_not_empty(portal_data, settings, tmp_path):
    call_command("backup", dir=str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    before = state()

    with pytest.raises(CommandError, match="restore into a new, empty database"):
        call_command("restore", str(folder), stdout=io.StringIO())

    assert state() == before
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


# A damaged or malicious backup is refused before anything is written.


def fake_backup(folder, members):
    """A backup folder whose documents archive holds `members` (TarInfo, bytes) and whose
    manifest checksums are right, so only the archive's content is wrong."""
    folder.mkdir()
    (folder / "database.sqlite3").write_bytes(b"")
    with tarfile.open(folder / "documents.tar.gz", "w:gz") as archive:
        for info, content in members:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    manifest = {
        "format": 1,
        "database": {"vendor": connection.vendor, "file": "database.sqlite3"},
        "counts": {},
        "sha256": {
            name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in ("database.sqlite3", "documents.tar.gz")
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def file_member(name, content=b"x"):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    return info, content


def link_member(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        pytest.param([file_member("../escaped.txt")], "outside", id="dot-dot"),
        pytest.param([file_member("/etc/cron.d/absolute")], "outside", id="absolute path"),
        pytest.param([link_member("reports/link", "/etc/passwd")], "", id="symlink out"),
        pytest.param(
            [link_member("reports/hard", "../../escaped", tarfile.LNKTYPE)], "", id="hard link"
        ),
    ],
)
def test_restore_refuses_documents_that_escape_the_folder(tmp_path, settings, members, reason):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    folder = fake_backup(tmp_path / "backup", members)

    with pytest.raises(CommandError, match=f"Refused: .*{reason}"):
        call_command("restore", str(folder), stdout=io.StringIO())

    assert not (tmp_path / "media").exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_restore_refuses_a_damaged_file(tmp_path):
    folder = fake_backup(tmp_path / "backup", [file_member("reports/1/a.pdf", PDF)])
    with open(folder / "documents.tar.gz", "ab") as handle:
        handle.write(b"\x00")

    with pytest.raises(CommandError, match=r"documents\.tar\.gz does not match its sha256"):
        call_command("restore", str(folder), stdout=io.StringIO())


def test_a_failed_backup_leaves_no_folder(tmp_path, monkeypatch):
    def dump_then_fill_the_disk(alias, target):
        target.write_bytes(b"half a dump")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_dump_postgresql", dump_then_fill_the_disk)
    monkeypatch.setattr(backups, "_copy_sqlite", dump_then_fill_the_disk)

    with pytest.raises(OSError, match="No space left"):
        call_command("backup", dir=str(tmp_path / "backups"), stdout=io.StringIO())

    assert list((tmp_path / "backups").iterdir()) == []
