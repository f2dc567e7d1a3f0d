"""Backups of the portal: the database and the uploaded documents, with a manifest.

A backup is a folder named by its time (``YYYYmmdd-HHMMSS``, Astana time) holding

- ``database.dump`` (``pg_dump -Fc``) or ``database.sqlite3`` (SQLite's online backup API, safe
  while the portal runs),
- ``documents.tar.gz``: everything under ``PRIVATE_MEDIA_ROOT``,
- ``manifest.json``: when, which database, the counts of reports, entries and documents as in
  the dump, and the sha256 of each file.

The folder is written under a temporary name and renamed when complete, so a backup that was
interrupted never looks like a good one. The database is dumped before the documents are
packed: a document uploaded in between is merely an extra file, whereas one referenced by the
dump but not yet written would be lost.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from commissions.models import CommissionDocument
from reporting.models import AnnualReport, Attachment, ReportEntry, Summary

FORMAT = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents.tar.gz"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing was changed (or a partial backup
    folder was removed)."""


# What the manifest counts, by model: the same names as the portal's.
COUNTED = {
    "reports": AnnualReport,
    "entries": ReportEntry,
    "attachments": Attachment,
    "summaries": Summary,
}


def _vendor(alias) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# PostgreSQL client programs


@dataclass(frozen=True)
class PgTool:
    path: str
    major: int


def _tool_major(path: str) -> int | None:
    try:
        # S603: the program is a path we found ourselves, run without a shell.
        out = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"PostgreSQL\)\s+(\d+)", out)  # "pg_dump (PostgreSQL) 15.20 (Debian…)"
    return int(match.group(1)) if match else None


def pg_tool(name: str, *, at_least: int) -> PgTool:
    """`pg_dump` or `pg_restore` of a major version not older than `at_least`: an older one
    refuses a newer server (or cannot read a newer archive). Debian installs each version's
    programs under /usr/lib/postgresql/<major>/bin; the one on PATH is the newest client."""
    candidates = [f"/usr/lib/postgresql/{at_least}/bin/{name}"]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    candidates.extend(str(p) for p in versions)
    seen = []
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        major = _tool_major(candidate)
        seen.append(f"{candidate} ({major})")
        if major is not None and major >= at_least:
            return PgTool(candidate, major)
    raise BackupError(
        f"No {name} of PostgreSQL {at_least} or newer was found"
        + (f" (found: {', '.join(seen)})" if seen else "")
        + f". Install the client of the server's version, e.g. apt-get install "
        f"postgresql-client-{at_least}."
    )


def pg_environment(settings_dict) -> dict:
    """The connection as libpq environment variables: the password never appears on a command
    line (where `ps` would show it), and a database name cannot be taken for an option."""
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _server_major(alias) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    # PostgreSQL's connection wrapper has pg_version; the others do not.
    return connection.pg_version // 10000  # type: ignore[attr-defined]


def _run(args, env, what):
    try:
        # S603: a pg_* program found by pg_tool(), arguments as a list, no shell.
        result = subprocess.run(  # noqa: S603
            args, env=env, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{what} could not run: {error}") from error
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


# Backup


def _counts(alias) -> dict:
    return {name: model._default_manager.using(alias).count() for name, model in COUNTED.items()}


def _referenced_documents(alias) -> set[str]:
    """The stored names of every document the database refers to."""
    names = set(Attachment.objects.using(alias).values_list("file", flat=True))
    names.update(CommissionDocument.objects.using(alias).values_list("file", flat=True))
    for xlsx, docx in Summary.objects.using(alias).values_list("sent_xlsx", "sent_docx"):
        names.update(n for n in (xlsx, docx) if n)
    return names


def _dump_postgresql(alias, target: Path) -> dict:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a database transaction.")
    server = _server_major(alias)
    pg_dump = pg_tool("pg_dump", at_least=server)
    # One snapshot for the counts, the list of documents and pg_dump, so the manifest describes
    # exactly the dump even while officers keep saving.
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        counts = _counts(alias)
        documents = _referenced_documents(alias)
        _run(
            [pg_dump.path, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            pg_environment(connection.settings_dict),
            "pg_dump",
        )
    return {
        "vendor": "postgresql",
        "file": target.name,
        "server_major": server,
        "pg_dump_major": pg_dump.major,
        "counts": counts,
        "documents": documents,
    }


def _select(db: sqlite3.Connection, model, *columns) -> list[tuple]:
    # Table and column names come from our models, never from input.
    query = f'SELECT {", ".join(columns)} FROM "{model._meta.db_table}"'  # noqa: S608
    return db.execute(query).fetchall()


def _sqlite_counts(path: Path) -> tuple[dict, set[str]]:
    """Counts and referenced documents read from the copy itself: exactly what was saved."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        counts = {name: _select(db, model, "COUNT(*)")[0][0] for name, model in COUNTED.items()}
        documents = {name for (name,) in _select(db, Attachment, "file")}
        documents.update(name for (name,) in _select(db, CommissionDocument, "file"))
        for xlsx, docx in _select(db, Summary, "sent_xlsx", "sent_docx"):
            documents.update(n for n in (xlsx, docx) if n)
    return counts, documents


def _copy_sqlite(alias, target: Path) -> dict:
    name = connections[alias].settings_dict["NAME"]
    if not Path(name).is_file():
        raise BackupError(f"The SQLite database {name} does not exist.")
    # The online backup API copies a consistent state page by page, whatever other
    # connections are writing; `cp` of a live database file may copy half a transaction.
    source = sqlite3.connect(f"file:{Path(name).resolve()}?mode=ro", uri=True, timeout=60)
    with contextlib.closing(source), contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    counts, documents = _sqlite_counts(target)
    return {"vendor": "sqlite", "file": target.name, "counts": counts, "documents": documents}


def _pack_documents(root: Path, target: Path) -> list[str]:
    """Everything under `root`, by paths relative to it; returns the files packed."""
    packed = []
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root).as_posix()
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    continue  # documents are plain files; a link could point anywhere
                archive.add(path, arcname=relative, recursive=False)
                if path.is_file():
                    packed.append(relative)
    return packed


def backup_create(*, directory, database: str = "default") -> Path:
    """Write a backup folder under `directory` and return it. Raises BackupError (leaving no
    partial folder) when the database cannot be dumped."""
    vendor = _vendor(database)
    now = timezone.localtime()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / now.strftime("%Y%m%d-%H%M%S")
    if final.exists():
        raise BackupError(f"{final} already exists: wait a second and run the backup again.")
    partial = directory / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        if vendor == "postgresql":
            database_info = _dump_postgresql(database, partial / PG_DUMP_FILE)
        else:
            database_info = _copy_sqlite(database, partial / SQLITE_FILE)
        counts = database_info.pop("counts")
        referenced = database_info.pop("documents")
        packed = _pack_documents(Path(settings.PRIVATE_MEDIA_ROOT), partial / DOCUMENTS)
        missing = sorted(referenced - set(packed))
        files = {name: sha256(partial / name) for name in (database_info["file"], DOCUMENTS)}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": database_info,
            "counts": counts,
            "documents": {"file": DOCUMENTS, "files": len(packed), "missing": missing},
            "sha256": files,
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


# Restore


def read_manifest(folder: Path) -> dict:
    """The folder's manifest, after checking that every file is there and unchanged."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup folder: {error}") from error
    try:
        if manifest["format"] != FORMAT:
            raise BackupError(f"Unknown backup format {manifest['format']!r}.")
        checksums = dict(manifest["sha256"])
        database_file = manifest["database"]["file"]
        backup_vendor = manifest["database"]["vendor"]
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{folder}/{MANIFEST} is incomplete: {error!r}") from error
    if backup_vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Unknown database kind {backup_vendor!r} in {folder}/{MANIFEST}.")
    # Only files of the folder itself that the manifest vouches for are ever read.
    if database_file not in checksums or DOCUMENTS not in checksums:
        raise BackupError(f"{folder}/{MANIFEST} has no checksum of {database_file}.")
    for name, expected in checksums.items():
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"{name} is missing from {folder}.")
        if sha256(path) != expected:
            raise BackupError(f"{name} does not match its sha256 in the manifest: damaged.")
    return manifest


def _check_documents(archive: tarfile.TarFile, root: Path) -> None:
    """Refuse the whole archive if any member would land outside `root` or is not a plain
    file or folder, before anything is written."""
    for member in archive.getmembers():
        # The data filter would quietly strip a leading "/"; our backups never have one.
        if member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"Refused: {member.name!r} in {DOCUMENTS}: outside the folder.")
        try:
            tarfile.data_filter(member, str(root))
        except tarfile.FilterError as error:
            raise BackupError(f"Refused: {member.name!r} in {DOCUMENTS}: {error}") from error
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"Refused: {member.name!r} in {DOCUMENTS} is not a plain file.")


def _restore_documents(folder: Path, root: Path) -> int:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / DOCUMENTS, "r:gz") as archive:
        _check_documents(archive, root)
        # filter="data" checks again as it extracts: no absolute paths, no "..", no links out.
        archive.extractall(root, filter="data")
        return sum(1 for member in archive.getmembers() if member.isfile())


def _table_count(alias) -> int:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        # A SQLite database that does not exist yet is empty; connecting would create it.
        path = Path(connection.settings_dict["NAME"])
        if not path.is_file():
            return 0
        uri = f"file:{path.resolve()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            return db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
                0
            ]
    return len(connection.introspection.table_names())


def _require_empty(alias, *, replace: bool) -> None:
    tables = _table_count(alias)
    if tables and not replace:
        raise BackupError(
            f"The database {connections[alias].settings_dict['NAME']} already has "
            f"{tables} tables: restore into a new, empty database."
        )


def _restore_postgresql(alias, folder: Path, manifest: dict) -> None:
    connection = connections[alias]
    dump_major = manifest["database"].get("pg_dump_major", 0)
    pg_restore = pg_tool("pg_restore", at_least=max(_server_major(alias), dump_major))
    connection.close()
    _run(
        [
            pg_restore.path,
            "--no-owner",
            "--clean",
            "--if-exists",
            # All or nothing: a failed restore leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(folder / manifest["database"]["file"]),
        ],
        pg_environment(connection.settings_dict),
        "pg_restore",
    )


def _restore_sqlite(alias, folder: Path, manifest: dict) -> None:
    connection = connections[alias]
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Copied beside the target, then renamed over it: never a half-copied database file.
    temporary = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(folder / manifest["database"]["file"], temporary)
    os.replace(temporary, target)
    for suffix in ("-wal", "-shm", "-journal"):  # an old journal must not be replayed on it
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def backup_restore(*, folder, database: str = "default", replace: bool = False) -> dict:
    """Restore a backup folder into the configured database, which must be empty (unless
    `replace`), and its documents into PRIVATE_MEDIA_ROOT. Returns the counts found after the
    restore; raises BackupError if they differ from the manifest's."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = _vendor(database)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database; the configured "
            f"database is {vendor}."
        )
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    # The backup is checked whole, then the target, before anything is written.
    with tarfile.open(folder / DOCUMENTS, "r:gz") as archive:
        _check_documents(archive, root)
    _require_empty(database, replace=replace)
    if root.exists() and any(root.iterdir()) and not replace:
        raise BackupError(
            f"PRIVATE_MEDIA_ROOT ({root}) is not empty: restore into an empty folder."
        )
    if vendor == "postgresql":
        _restore_postgresql(database, folder, manifest)
    else:
        _restore_sqlite(database, folder, manifest)
    _restore_documents(folder, root)
    counts = _counts(database)
    if counts != manifest.get("counts"):
        raise BackupError(
            f"The restored database holds {counts}, the manifest says {manifest.get('counts')}."
        )
    return counts
