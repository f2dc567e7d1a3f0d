import psycopg
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql


class Command(BaseCommand):
    help = (
        "Creates the PostgreSQL database that DATABASE_URL names if it does not exist yet "
        "(`make serve`). Nothing to do on SQLite: migrate creates the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return
        settings = connection.settings_dict
        server = {
            key: value
            for key, value in {
                "host": settings["HOST"],
                "port": settings["PORT"],
                "user": settings["USER"],
                "password": settings["PASSWORD"],
                "sslmode": (settings.get("OPTIONS") or {}).get("sslmode"),
            }.items()
            if value
        }
        # The server's maintenance database, as createdb and Django's test runner use it.
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            name = settings["NAME"]
            if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                self.stdout.write(f"Database {name} exists.")
                return
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.stdout.write(self.style.SUCCESS(f"Database {name} created."))
