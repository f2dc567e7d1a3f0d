import base64
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency, User
from agencies.selectors import totp_device
from agencies.services import recovery_codes_generate, totp_device_start
from reporting import services
from reporting.models import AnnualReport, ReportEntry, ReportingCycle

PRIVILEGED_DEMO_USERS = ("admin", "mvd.secretariat", "mtszn.secretariat")
SAMPLE_TEXT = (
    "За отчётный год проведены плановые мероприятия: совещания, проверки и "
    "информационная работа. Подробности — в приложенных документах."
)


class Command(BaseCommand):
    help = (
        "Demo accounts (an officer of every agency, the secretariats of МВД and МТСЗН, an "
        "observer, an admin) with passwords it prints, and sample reports in every state. "
        "Only with DEBUG on: it must never run on a ministry's server."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only with DEBUG=1: it creates demo accounts.")
        agencies = {a.code: a for a in Agency.objects.all()}
        if "mvd" not in agencies or not ReportingCycle.objects.exists():
            raise CommandError("Load the plan first: python manage.py loaddata plan_2018_2020")
        with transaction.atomic():
            accounts = self._accounts(agencies)
            created_reports = self._reports(agencies, accounts)
        self.stdout.write("Demo accounts (username / password), new passwords on every run:")
        for username, password in accounts.items():
            self.stdout.write(f"  {username:<34} {password}")
        self._second_factors()
        if created_reports:
            self.stdout.write(f"Sample reports created: {created_reports}.")

    def _account(self, username, **fields):
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        return user, password

    def _accounts(self, agencies):
        passwords = {}
        users = [
            ("admin", {"is_superuser": True, "is_staff": True, "agency": None, "role": "observer"}),
            ("mvd.secretariat", {"agency": agencies["mvd"], "role": User.Role.SECRETARIAT}),
            ("mtszn.secretariat", {"agency": agencies["mtszn"], "role": User.Role.SECRETARIAT}),
            ("observer", {"agency": None, "role": User.Role.OBSERVER}),
        ] + [
            (f"{code}.officer", {"agency": agency, "role": User.Role.OFFICER})
            for code, agency in sorted(agencies.items())
        ]
        for username, fields in users:
            fields.setdefault("email", f"{username}@example.kz")
            _, passwords[username] = self._account(username, **fields)
        return passwords

    def _second_factors(self):
        """The secretariat and the admin must give a second factor: their demo accounts get an
        authenticator secret to add to an app, and fresh recovery codes (each works once)."""
        self.stdout.write(
            "Second factor for the privileged demo accounts: add the secret to an authenticator "
            "app, or sign in with one of the recovery codes (each works once):"
        )
        for user in User.objects.filter(username__in=PRIVILEGED_DEMO_USERS).order_by("username"):
            device = totp_device(user=user)
            if device is None:
                device = totp_device_start(user=user)
                device.confirmed = True  # demo only: confirmed without a first code
                device.save(update_fields=["confirmed"])
            codes = recovery_codes_generate(user=user)
            secret = base64.b32encode(device.bin_key).decode()
            self.stdout.write(f"  {user.username:<20} secret {secret}")
            self.stdout.write(f"  {'':<20} recovery codes {' '.join(codes)}")

    def _reports(self, agencies, accounts):
        """2018: accepted reports and the summary sent; 2019: one report in each state. Only on
        the first run."""
        if AnnualReport.objects.exists():
            return 0
        secretariat = User.objects.get(username="mvd.secretariat")
        cycles = {c.year: c for c in ReportingCycle.objects.all()}
        plan = [
            (2018, "mf", "accepted"),
            (2018, "mid", "accepted"),
            (2019, "mon", "draft"),
            (2019, "akimat-almaty", "submitted"),
            (2019, "mid", "returned"),
            (2019, "mf", "accepted"),
        ]
        for year, code, state in plan:
            officer = User.objects.get(username=f"{code}.officer")
            report = services.report_open(cycle=cycles[year], agency=agencies[code])
            entries = list(report.entries.all())
            # A draft is half done: the demo officer can finish it and submit.
            to_fill = entries[: len(entries) // 2] if state == "draft" else entries
            for entry in to_fill:
                services.entry_update(
                    entry=entry,
                    user=officer,
                    status=ReportEntry.Status.DONE,
                    narrative=SAMPLE_TEXT,
                    version=entry.version,
                )
            if state == "draft":
                continue
            services.report_submit(report=report, user=officer)
            if state == "accepted":
                services.report_accept(report=report, user=secretariat)
            elif state == "returned":
                services.report_return(
                    report=report,
                    user=secretariat,
                    comment="Уточните число проведённых мероприятий и приложите протоколы.",
                )
        # The 2018 summary, generated and sent, so the measure pages show a year's result.
        summary = services.summary_generate(cycle=cycles[2018], user=secretariat)
        services.summary_send(summary=summary, user=secretariat)
        return len(plan)
