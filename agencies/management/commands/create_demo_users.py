import secrets

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency, User

# username, agency code, role; the admin has no agency.
DEMO_USERS = [
    ("admin", None, None),
    ("mon_officer", "mon", User.Role.OFFICER),
    ("almaty_officer", "akimat-almaty", User.Role.OFFICER),
    ("mvd_secretariat", "mvd", User.Role.SECRETARIAT),
    ("mtszn_secretariat", "mtszn", User.Role.SECRETARIAT),
    ("observer", None, User.Role.OBSERVER),
]


class Command(BaseCommand):
    help = (
        "Creates demo accounts with random passwords and prints them — only when the "
        "database has no user yet, so it never touches real accounts."
    )

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("Users already exist: no demo accounts created.")
            return
        codes = {code for _, code, _ in DEMO_USERS if code}
        agencies = Agency.objects.in_bulk(codes, field_name="code")
        if missing := codes - agencies.keys():
            raise CommandError(
                f"Load the plan first (loaddata plan_2018_2020): no agencies {sorted(missing)}."
            )
        self.stdout.write("Demo accounts (username / password):")
        for username, code, role in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            if role is None:
                User.objects.create_superuser(username=username, password=password, email="")
            else:
                User.objects.create_user(
                    username=username, password=password, agency=agencies.get(code), role=role
                )
            self.stdout.write(f"  {username:<18} {password}")
