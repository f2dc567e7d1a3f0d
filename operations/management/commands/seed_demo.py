import base64
import datetime
import secrets

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency, User
from agencies.selectors import totp_device
from agencies.services import recovery_codes_generate, totp_device_start
from commissions import selectors as commission_selectors
from commissions import services as commission_services
from commissions.compliance import plan_half_years, regional_plans_due
from commissions.models import CommissionMeeting, RegionalPlan
from core.documents import files_removed_on_failure
from measures.models import Plan
from reporting import services
from reporting.models import AnnualReport, ReportEntry, ReportingCycle

PRIVILEGED_DEMO_USERS = ("admin", "mvd.secretariat", "mtszn.secretariat")
# The accounts worth trying first, what each is for, and the page to open.
WHERE_TO_START = [
    ("mon.officer", ("an officer of МОН, the 2019 report half-filled", "/")),
    ("akimat-almaty.officer", ("an akimat's officer, its commission's meetings", "/commissions/")),
    ("mvd.secretariat", ("the МВД secretariat, reviews 2018–2019", "{dashboard}")),
    ("mtszn.secretariat", ("the МТСЗН secretariat, coordinates 2020", "/")),
    ("observer", ("an observer, reads everything", "/plans/")),
    ("admin", ("the admin: plans, agencies, users, the mail queue", "/admin/")),
]
SAMPLE_TEXT = (
    "За отчётный год проведены плановые мероприятия: совещания, проверки и "
    "информационная работа. Подробности — в приложенных документах."
)
PLAN_CODE = "trafficking-2018-2020"
# The smallest file the portal's document check accepts as a PDF (core/documents.py).
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Meetings of the interdepartmental commission: (held on, protocol number, recorded by, agenda,
# decisions). A decision is (number, text, due date, {agency code: note once done, or None if
# left open}). МВД's secretariat runs the commission in 2018–2019, МТСЗН's in 2020. None met in
# the first half of 2020 (the state of emergency), so the commission's own row shows a gap.
NATIONAL_MEETINGS = [
    (
        datetime.date(2018, 12, 14),
        "1",
        "mvd.secretariat",
        "1. О ходе реализации Плана мероприятий на 2018–2020 годы, утверждённого постановлением "
        "Правительства Республики Казахстан от 1 октября 2018 года № 609.\n"
        "2. О профилактике торговли людьми среди учащейся молодёжи.",
        [
            (
                "1",
                "Информацию МВД о ходе реализации Плана мероприятий принять к сведению.",
                None,
                {},
            ),
            (
                "2",
                "МОН и акимату города Алматы организовать в школах и колледжах профилактические "
                "занятия для старшеклассников и студентов о рисках вовлечения в торговлю людьми.",
                datetime.date(2019, 3, 1),
                {
                    "mon": "Методические рекомендации направлены в управления образования; "
                    "занятия проведены в организациях среднего, технического и "
                    "профессионального образования.",
                    "akimat-almaty": "Управление образования города Алматы совместно с "
                    "департаментом полиции провело занятия в школах и колледжах города.",
                },
            ),
            (
                "3",
                "МИД разместить на сайтах загранучреждений памятку для граждан, выезжающих за "
                "рубеж на работу или учёбу, о рисках торговли людьми и номерах горячей линии.",
                datetime.date(2019, 4, 1),
                {
                    "mid": "Памятка на казахском, русском и английском языках размещена на "
                    "сайтах загранучреждений Республики Казахстан."
                },
            ),
        ],
    ),
    (
        datetime.date(2019, 6, 21),
        "1",
        "mvd.secretariat",
        "1. О выявлении и раскрытии преступлений, связанных с торговлей людьми, в I квартале "
        "2019 года.\n2. О финансовом мониторинге операций, связанных с торговлей людьми.",
        [
            ("1", "Информацию МВД и Генеральной прокуратуры принять к сведению.", None, {}),
            (
                "2",
                "МФ (Комитет по финансовому мониторингу) разработать признаки подозрительных "
                "операций, связанных с торговлей людьми, и довести их до субъектов финансового "
                "мониторинга.",
                datetime.date(2019, 10, 1),
                {"mf": None},
            ),
        ],
    ),
    (
        datetime.date(2019, 12, 20),
        "2",
        "mvd.secretariat",
        "1. Об итогах реализации Плана мероприятий в 2019 году.\n"
        "2. О плане работы Межведомственной комиссии на 2020 год.",
        [
            ("1", "Утвердить план работы Межведомственной комиссии на 2020 год.", None, {}),
            (
                "2",
                "МОН и МИД представить в секретариат Комиссии сведения об исполнении мероприятий "
                "Плана за 2019 год для сводной информации в Правительство.",
                datetime.date(2020, 1, 20),
                {
                    "mon": "Сведения об исполнении мероприятий Плана за 2019 год направлены в "
                    "секретариат Комиссии.",
                    "mid": None,
                },
            ),
            (
                "3",
                "Акимату Мангистауской области утвердить региональный план мероприятий и "
                "проводить заседания региональной комиссии не реже одного раза в полугодие.",
                datetime.date(2020, 2, 28),
                {"akimat-mangystau": None},
            ),
        ],
    ),
    (
        datetime.date(2020, 11, 27),
        "1",
        "mtszn.secretariat",
        "1. О передаче функций рабочего органа Межведомственной комиссии Министерству труда и "
        "социальной защиты населения.\n2. О проекте Плана мероприятий на 2021–2023 годы.",
        [
            (
                "1",
                "Информацию МТСЗН о приёме функций рабочего органа Комиссии принять к сведению.",
                None,
                {},
            ),
            (
                "2",
                "МТСЗН совместно с МВД подготовить проект Плана мероприятий на 2021–2023 годы и "
                "внести его на рассмотрение Комиссии.",
                datetime.date(2020, 12, 25),
                {
                    "mvd": "Предложения МВД в проект Плана мероприятий на 2021–2023 годы "
                    "направлены в МТСЗН.",
                    "mtszn": None,
                },
            ),
            (
                "3",
                "МФ рассмотреть выделение средств на оказание специальных социальных услуг "
                "лицам, пострадавшим от торговли людьми, в 2021 году.",
                datetime.date(2020, 12, 31),
                {"mf": "Средства предусмотрены в республиканском бюджете на 2021 год."},
            ),
        ],
    ),
]

# The regional commissions' meetings, one per half-year: (year, half) -> (the day the first
# akimat meets; the others follow a day apart, so the round stays within the half-year),
# agenda, decisions. Decisions of a regional commission name no agencies and no due date.
REGIONAL_MEETINGS = {
    (2018, 2): (
        datetime.date(2018, 11, 12),
        "1. О задачах по реализации Плана мероприятий Правительства Республики Казахстан на "
        "2018–2020 годы.\n2. О проекте регионального плана мероприятий по профилактике, "
        "предотвращению и борьбе с преступлениями, связанными с торговлей людьми.",
        [
            "Одобрить проект регионального плана мероприятий и внести его на утверждение акимата.",
            "Департаменту полиции и управлению образования организовать профилактические "
            "занятия в школах и колледжах.",
        ],
    ),
    (2019, 1): (
        datetime.date(2019, 5, 13),
        "1. О выявлении фактов трудовой эксплуатации на объектах строительства и в сельском "
        "хозяйстве.\n2. О работе телефона доверия по вопросам торговли людьми.",
        [
            "Информацию департамента полиции принять к сведению.",
            "Управлению занятости и социальных программ совместно с департаментом полиции "
            "провести проверки на объектах строительства и в крестьянских хозяйствах.",
        ],
    ),
    (2019, 2): (
        datetime.date(2019, 11, 11),
        "1. Об итогах профилактической работы в организациях образования.\n"
        "2. Об исполнении регионального плана мероприятий в 2019 году.",
        [
            "Информацию управления образования принять к сведению.",
            "Исполнителям регионального плана представить в акимат сведения о его исполнении "
            "за 2019 год до 10 января 2020 года.",
        ],
    ),
    (2020, 1): (
        datetime.date(2020, 6, 1),
        "1. Об оказании специальных социальных услуг лицам, пострадавшим от торговли людьми, в "
        "период чрезвычайного положения и карантина.",
        [
            "Управлению координации занятости и социальных программ обеспечить приём "
            "пострадавших в кризисный центр с соблюдением санитарных требований.",
        ],
    ),
    (2020, 2): (
        datetime.date(2020, 12, 1),
        "1. Об итогах реализации регионального плана мероприятий на 2018–2020 годы.\n"
        "2. О предложениях в региональный план на 2021–2023 годы.",
        [
            "Информацию об итогах реализации регионального плана принять к сведению.",
            "Исполнителям внести предложения в проект регионального плана на 2021–2023 годы до "
            "15 января 2021 года.",
        ],
    ),
}
# Gaps for the compliance page: a commission that missed a half-year, and an akimat whose
# commission never met and which approved no regional plan.
REGIONAL_MISSED_HALVES = {"akimat-kyzylorda": {(2020, 1)}}
WITHOUT_COMMISSION = "akimat-mangystau"
# Regional plans approved after the month clause 2 allows (due 1 November 2018).
REGIONAL_PLANS_LATE = {
    "akimat-kyzylorda": datetime.date(2018, 11, 23),
    "akimat-turkestan": datetime.date(2018, 12, 7),
}
REGIONAL_PLAN_ON_DUE_DAY = "akimat-pavlodar"  # approved on the last day that is on time


class Command(BaseCommand):
    help = (
        "Demo accounts (an officer of every agency, the secretariats of МВД and МТСЗН, an "
        "observer, an admin) with passwords it prints, sample reports in every state, and the "
        "commissions' registers: meetings, decisions and regional plans. Only with DEBUG on: it "
        "must never run on a ministry's server."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only with DEBUG=1: it creates demo accounts.")
        agencies = {a.code: a for a in Agency.objects.all()}
        plan = Plan.objects.filter(code=PLAN_CODE).first()
        if "mvd" not in agencies or plan is None or not ReportingCycle.objects.exists():
            raise CommandError("Load the plan first: python manage.py loaddata plan_2018_2020")
        # A failure rolls the rows back, and removes the documents already stored for them.
        with files_removed_on_failure(), transaction.atomic():
            accounts = self._accounts(agencies)
            created_reports = self._reports(agencies, accounts)
            created_meetings = self._meetings(plan, agencies)
            created_plans = self._regional_plans(plan)
        if created_reports:
            self.stdout.write(f"Sample reports created: {created_reports}.")
        if created_meetings or created_plans:
            national, regional, decisions, assigned, done = created_meetings or (0, 0, 0, 0, 0)
            self.stdout.write(
                f"Sample commission registers created: {national} meetings of the МВК and "
                f"{regional} of regional commissions, {decisions} decisions, {assigned} "
                f"assignments to agencies ({done} marked done), {created_plans} regional plans."
            )
        self.stdout.write("")
        self.stdout.write("Every agency's officer (username / password), new passwords each run:")
        for username, password in accounts.items():
            if username not in dict(WHERE_TO_START):
                self.stdout.write(f"  {username:<34} {password}")
        self._second_factors()
        self._where_to_start(accounts)

    def _where_to_start(self, accounts):
        """Last, in one block: the accounts to try and the address to open with each."""
        site = settings.SITE_URL.rstrip("/")
        cycle = ReportingCycle.objects.filter(plan__code=PLAN_CODE, year=2019).first()
        dashboard = f"/cycles/{cycle.pk}/dashboard/" if cycle else "/"
        self.stdout.write("")
        self.stdout.write(f"Open {site}/login/ and sign in as (username / password):")
        for username, (role, path) in WHERE_TO_START:
            path = path.replace("{dashboard}", dashboard)
            self.stdout.write(f"  {username:<22} {accounts[username]:<14} {role}: {site}{path}")
        self.stdout.write(
            "The admin and the secretariats give a second factor at sign-in: a recovery code from "
            "the list above does. Mail the portal sends is written to the folder sent-mail/."
        )

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
            entries = list(report.entries.prefetch_related("measure__indicators"))
            # A draft is half done: the demo officer can finish it and submit.
            to_fill = entries[: len(entries) // 2] if state == "draft" else entries
            for number, entry in enumerate(to_fill):
                services.entry_update(
                    entry=entry,
                    user=officer,
                    status=ReportEntry.Status.DONE,
                    narrative=SAMPLE_TEXT,
                    version=entry.version,
                    figures=_demo_figures(entry, year, number),
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

    def _document(self, name):
        return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")

    def _meetings(self, plan, agencies):
        """The interdepartmental commission's meetings, with decisions addressed to agencies
        (some done, some left open), and the regional commissions' meetings, with gaps. Only on
        the first run: when no meeting is recorded yet. Returns (national meetings, regional
        meetings, decisions, assignments, assignments done), or None."""
        if CommissionMeeting.objects.exists():
            return None
        users = {u.username: u for u in User.objects.select_related("agency")}
        decisions = assigned = done = 0
        for index, (held_on, number, recorded_by, agenda, items) in enumerate(NATIONAL_MEETINGS):
            secretariat = users[recorded_by]
            meeting = commission_services.meeting_record(
                user=secretariat,
                agency=None,
                held_on=held_on,
                protocol_number=number,
                agenda=agenda,
                # Protocols are optional: the first meeting has one to download.
                document=self._document(f"Протокол МВК № {number} от {held_on:%d.%m.%Y}.pdf")
                if index == 0
                else None,
            )
            for item, text, due_date, answers in items:
                decision = commission_services.decision_add(
                    meeting=meeting,
                    user=secretariat,
                    number=item,
                    text=text,
                    due_date=due_date,
                    agencies=[agencies[code] for code in answers],
                )
                decisions += 1
                for assignment in decision.assignments.select_related("agency"):
                    assigned += 1
                    note = answers[assignment.agency.code]
                    if note is None:
                        continue  # left open: overdue, its due day is long past
                    # The service stamps the completion with the present moment, and demo data
                    # does not fake timestamps: every demo completion shows as done late.
                    commission_services.assignment_complete(
                        assignment=assignment,
                        user=users[f"{assignment.agency.code}.officer"],
                        note=note,
                    )
                    done += 1
        regional = 0
        halves = plan_half_years(plan)
        akimats = commission_selectors.plan_akimats(plan=plan)
        for position, akimat in enumerate(akimats):
            if akimat.code == WITHOUT_COMMISSION:
                continue
            officer = users[f"{akimat.code}.officer"]
            protocols = {}  # each year's protocols are numbered from 1
            for half in halves:
                if (half.year, half.half) in REGIONAL_MISSED_HALVES.get(akimat.code, ()):
                    continue
                first_day, agenda, texts = REGIONAL_MEETINGS[half.year, half.half]
                protocols[half.year] = protocols.get(half.year, 0) + 1
                held_on = first_day + datetime.timedelta(days=position)
                number = str(protocols[half.year])
                meeting = commission_services.meeting_record(
                    user=officer,
                    agency=akimat,
                    held_on=held_on,
                    protocol_number=number,
                    agenda=agenda,
                    document=self._document(f"Протокол № {number} от {held_on:%d.%m.%Y}.pdf")
                    if akimat.code == "akimat-almaty" and half == halves[0]
                    else None,
                )
                regional += 1
                for item, text in enumerate(texts, start=1):
                    commission_services.decision_add(
                        meeting=meeting, user=officer, number=str(item), text=text
                    )
                    decisions += 1
        return len(NATIONAL_MEETINGS), regional, decisions, assigned, done

    def _regional_plans(self, plan):
        """The akimats' regional plans: most approved within the month, two late, one missing.
        Only on the first run: when no regional plan is recorded yet. Returns how many."""
        if RegionalPlan.objects.filter(plan=plan).exists():
            return 0
        due = regional_plans_due(plan)
        created = 0
        akimats = commission_selectors.plan_akimats(plan=plan)
        for position, akimat in enumerate(akimats):
            if akimat.code == WITHOUT_COMMISSION:
                continue
            if akimat.code in REGIONAL_PLANS_LATE:
                approved_on = REGIONAL_PLANS_LATE[akimat.code]
            elif akimat.code == REGIONAL_PLAN_ON_DUE_DAY:
                approved_on = due
            else:
                approved_on = datetime.date(2018, 10, 12) + datetime.timedelta(days=position)
            act_number = str(400 + 17 * position)
            commission_services.regional_plan_record(
                plan=plan,
                agency=akimat,
                user=User.objects.get(username=f"{akimat.code}.officer"),
                # "Акимат Акмолинской области" -> "Постановление акимата Акмолинской области"
                act=akimat.name.replace("Акимат", "Постановление акимата", 1),
                act_number=act_number,
                approved_on=approved_on,
                document=self._document(f"Региональный план, постановление № {act_number}.pdf"),
            )
            created += 1
        return created


def _demo_figures(entry, year: int, number: int) -> dict:
    """Plausible figures, different by year and entry, the same on every fresh database."""
    figures = {}
    for indicator in entry.measure.indicators.all():
        if indicator.is_yes_no:
            figures[indicator.pk] = (year + number) % 4 != 0
        else:
            base = 3 + (year - 2017) * 4 + number * 7 + indicator.position * 2
            figures[indicator.pk] = base * 1000 if indicator.kind == "sum" else base
    return figures
