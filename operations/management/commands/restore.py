from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores a folder written by `backup` into the configured database, which must be "
        "empty (a new database, or a new SQLite file), and its documents into "
        "PRIVATE_MEDIA_ROOT, which must be empty too. Checks every file's sha256 first and the "
        "restored counts against the manifest after. Stop the portal while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A backup folder, e.g. backups/20250121-020000")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--replace-existing",
            action="store_true",
            help="Restore even over a database and documents folder that are not empty "
            "(their content is replaced).",
        )

    def handle(self, *args, **options):
        try:
            counts = backup_restore(
                folder=options["folder"],
                database=options["database"],
                replace=options["replace_existing"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        described = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Restored from {options['folder']} ({described})."))
