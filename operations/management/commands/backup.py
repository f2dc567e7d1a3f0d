from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Writes a backup folder <dir>/<YYYYmmdd-HHMMSS>/: the database (pg_dump -Fc, or a "
        "consistent copy of the SQLite file), the uploaded documents (documents.tar.gz) and "
        "manifest.json (time, database, counts, sha256 of each file). Safe while the portal "
        "runs. See README, 'Backups'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=None,
            help="Where to put the backup folder (default: BACKUP_DIR, ./backups).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        directory = options["dir"] or settings.BACKUP_DIR
        try:
            folder = backup_create(directory=directory, database=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = (folder / "manifest.json").read_text(encoding="utf-8")
        self.stdout.write(manifest)
        if settings.PRIVATE_STORAGE != "folder":
            self.stderr.write(
                "The documents are in the S3 bucket, not in PRIVATE_MEDIA_ROOT: this backup "
                "holds the database only. Back the bucket up with its own tools (versioning, "
                "replication)."
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
