"""The Kazakh and English interfaces: the catalogs in locale/ are complete and compiled, and the
main pages in Kazakh or English show no Russian (or, in Kazakh, English) interface string.

The msgids are Russian, the portal's source language; the plan's own text, agency names and
what officials type stay as written (Russian data), so the page checks look only for strings
of our catalogs that cannot come from the data.
"""

import ast
import datetime
import gettext
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency, User
from commissions import services as commissions
from commissions.models import (
    CommissionDocument,
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
    RegionalPlan,
)
from measures.models import Measure, Plan, Section
from reporting import exports, services
from reporting.models import (
    Attachment,
    Indicator,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
    SummaryIndicatorTotal,
    SummaryItem,
)
from tests.conftest import PASSWORD, PLAN_CODE
from tests.reporting.conftest import fill
from tests.reporting.documents import PDF, upload

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("kk", "en")
DJANGO_LOCALE = Path(translation.__file__).resolve().parent.parent.parent / "conf" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in Kazakh leaves Kazakh active in the thread; later tests expect the default."""
    yield
    translation.deactivate()


# The catalogs


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m[1]], text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file (header first): msgctxt, msgid, msgid_plural, msgstr (a list:
    one string, or one per plural form), flags, obsolete. Standard library only."""
    entries, entry, field = [], None, None

    def close():
        nonlocal entry
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)
        entry = None

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            close()
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": None,
                "msgid_plural": None,
                "msgstr": [],
                "flags": set(),
                "obsolete": False,
            }
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")', line)
        if match:
            keyword, value = match[1], _unquote(match[3])
            if keyword.startswith("msgstr"):
                entry["msgstr"].append(value)
                field = ("msgstr", len(entry["msgstr"]) - 1)
            else:
                entry[keyword] = value
                field = (keyword, None)
        elif line.startswith('"'):
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
        else:
            raise AssertionError(f"{path}: unexpected line {raw!r}")
    return entries


def catalog(language: str) -> list[dict]:
    """The translatable entries (no header, no obsolete ones) of our catalog."""
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert entries[0]["msgid"] == "", "the header comes first"
    return [e for e in entries[1:] if not e["obsolete"]]


def is_django_string(msgid: str) -> bool:
    """Our msgids are Russian; the English ones are Django's own strings we translate."""
    return re.search("[A-Za-z]", msgid) is not None and not CYRILLIC.search(msgid)


def header(language: str) -> dict:
    text = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")[0]["msgstr"][0]
    return dict(line.split(": ", 1) for line in text.splitlines() if line)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language):
    entries = catalog(language)
    assert len(entries) > 400
    info = header(language)
    assert info["Language"] == language
    assert info["Content-Type"] == "text/plain; charset=UTF-8"
    assert info["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    for entry in entries:
        name = (entry["msgctxt"], entry["msgid"])
        assert "fuzzy" not in entry["flags"], name
        assert entry["msgstr"] and all(s.strip() for s in entry["msgstr"]), name
        assert len(entry["msgstr"]) == (2 if entry["msgid_plural"] else 1), name
        # Placeholders kept exactly: a lost or renamed one breaks the page at run time.
        for translated in entry["msgstr"]:
            assert placeholders(translated) == placeholders(entry["msgid"]), name


def test_both_catalogs_translate_the_same_strings():
    def keys(language):
        return {(e["msgctxt"], e["msgid"], e["msgid_plural"]) for e in catalog(language)}

    assert keys("kk") == keys("en")


def test_kazakh_translations_are_not_russian_copies():
    # Words Kazakh writes as Russian does (or symbols): the only msgstr that may equal msgid.
    shared = {"код", "Код", "аббревиатура", "Аббревиатура", "файл"}
    shared.add("автор")
    shared |= {"Навигация", "Мониторинг", "№", "Комиссия"}
    copies = {
        e["msgid"]
        for e in catalog("kk")
        if CYRILLIC.search(e["msgid"]) and e["msgstr"][0] == e["msgid"]
    }
    assert copies <= shared


def test_kazakh_names_an_agency_in_kazakh():
    """«мемлекеттік орган», not the Russian «ведомство» with Kazakh endings («Ведомствоның»);
    the commission keeps its official Kazakh name, «Ведомствоаралық комиссия»."""
    mixed = {
        e["msgid"]
        for e in catalog("kk")
        for text in e["msgstr"]
        if re.search(r"едомств(?!оаралық)", text)
    }
    assert not mixed


def test_english_translations_are_english():
    for entry in catalog("en"):
        for translated in entry["msgstr"]:
            # The only Cyrillic left is data quoted as the Resolution writes it.
            assert not CYRILLIC.search(translated.replace("МВД", "")), entry["msgid"]


def test_django_strings_of_our_catalog_are_still_djangos():
    """Our catalog overrides some of Django's own strings (see plan_portal/django_strings.py):
    each English msgid must still be one Django translates (its Russian catalog is complete)."""
    django_ru = gettext.GNUTranslations(
        (DJANGO_LOCALE / "ru" / "LC_MESSAGES" / "django.mo").open("rb")
    )
    auth_ru = gettext.GNUTranslations(
        (DJANGO_LOCALE.parent.parent / "contrib" / "auth" / "locale" / "ru" / "LC_MESSAGES")
        .joinpath("django.mo")
        .open("rb")
    )
    django_ru.add_fallback(auth_ru)
    english = [e for e in catalog("kk") if is_django_string(e["msgid"])]
    assert len(english) >= 10
    for entry in english:
        if entry["msgid_plural"]:
            found = django_ru.ngettext(entry["msgid"], entry["msgid_plural"], 5)
            assert found != entry["msgid_plural"], entry["msgid"]
        elif entry["msgctxt"]:
            assert django_ru.pgettext(entry["msgctxt"], entry["msgid"]) != entry["msgid"]
        else:
            assert django_ru.gettext(entry["msgid"]) != entry["msgid"], entry["msgid"]


GETTEXT_FUNCTIONS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 1,
    "ngettext_lazy": 1,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "npgettext": 2,
    "npgettext_lazy": 2,
}
TEMPLATE_CALL = re.compile(
    r"\b(n?p?gettext)\(u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"(?:,\s*u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))?"
)


def marked_strings() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string the templates and the code mark for translation, read
    as makemessages reads them (Django's templatize; the code's gettext calls), without the
    gettext tools."""
    from django.utils.translation.template import templatize

    found = set()
    base = Path(settings.BASE_DIR)
    for path in sorted((base / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for function, first, second in TEMPLATE_CALL.findall(templatize(path.read_text())):
            first = ast.literal_eval(first)
            if function.startswith(("p", "np")):
                found.add((first, ast.literal_eval(second)))
            else:
                found.add((None, first))
    for folder in ("agencies", "commissions", "measures", "reporting", "plan_portal"):
        for path in sorted((base / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                arguments = GETTEXT_FUNCTIONS.get(name)
                if arguments is None or len(node.args) < arguments:
                    continue
                values = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
                if not all(isinstance(v, str) for v in values[:arguments]):
                    continue
                found.add((values[0], values[1]) if arguments == 2 else (None, values[0]))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalog(language):
    """A string added to a template or the code without running makemessages (and translating)
    would show in Russian on a Kazakh or English page."""
    marked = marked_strings()
    assert len(marked) > 400
    translated = {(e["msgctxt"], e["msgid"]) for e in catalog(language)}
    missing = sorted(marked - translated, key=str)
    assert not missing, f"run makemessages and translate (see locale/README.md): {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_up_to_date(language):
    """The .mo files are kept in the repository (a fresh machine needs no gettext tools): each
    must say what its .po says."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    assert compiled.info()["language"] == language
    entries = catalog(language)
    for entry in entries:
        if entry["msgid_plural"]:
            for n, expected in ((1, entry["msgstr"][0]), (2, entry["msgstr"][1])):
                found = compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                assert found == expected, entry["msgid"]
        elif entry["msgctxt"] is not None:
            found = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            assert found == entry["msgstr"][0], entry["msgid"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
    # Nothing more either: an entry removed from the .po is gone from the .mo.
    singular = {k for k in compiled._catalog if k != "" and not isinstance(k, tuple)}
    assert len(singular) + len({k[0] for k in compiled._catalog if isinstance(k, tuple)}) == len(
        entries
    )


def test_our_catalog_takes_precedence_over_djangos():
    with translation.override("kk"):
        assert translation.gettext("Исполнено") == "Орындалды"
        # Django's Kazakh catalog lacks it: ours provides it.
        assert "Дұрыс" in translation.gettext(
            "Please enter a correct %(username)s and password. Note that both "
            "fields may be case-sensitive."
        )
        # Django's capitalises the month; a Kazakh date writes it in lower case.
        assert translation.pgettext("alt. month", "January") == "қаңтар"
        # Django's own, untouched.
        assert translation.gettext("This field is required.") == "Бұл өрісті толтыру міндетті."
    with translation.override("en"):
        assert translation.gettext("Исполнено") == "Executed"


# The pages


class VisibleText(HTMLParser):
    """The text a person meets on a page: text nodes, the attributes read aloud or shown on
    hover, and the labels of the chart's json_script data. Scripts and styles are skipped."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-y-title")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._in_script = False
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.parts.extend(attrs[name] for name in self.ATTRIBUTES if attrs.get(name))
        if tag in ("script", "style"):
            self._in_script = True
            self._json = attrs.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in_script = self._json = False

    def handle_data(self, data):
        if not self._in_script:
            self.parts.append(data)
        elif self._json and data.strip():
            chart = json.loads(data)
            if isinstance(chart, list):  # the indicators' charts: their labels are the plan's
                self.parts.extend(one["label"] for one in chart if one)
                return
            # "titles" are the sections' titles: the plan's data.
            self.parts.extend(chart.get("labels", []))
            self.parts.extend(dataset["label"] for dataset in chart.get("datasets", []))


def visible_text(response) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def data_text() -> str:
    """Everything on the pages that comes from the data rather than from the interface: the
    plan, the agencies, the people, the reports' and the summary's text, file names."""
    values = [
        *Plan.objects.values_list("title", flat=True),
        *Section.objects.values_list("title", flat=True),
        *Agency.objects.values_list("name", flat=True),
        *Agency.objects.values_list("abbreviation", flat=True),
        *ReportEntry.objects.values_list("narrative", flat=True),
        *SummaryItem.objects.values_list("text", flat=True),
        # The indicators are the plan's data (in Russian, as the plan is), and the summary's
        # totals are written in Russian for the Government, as its text is.
        *Indicator.objects.values_list("name", flat=True),
        *Indicator.objects.values_list("unit", flat=True),
        *SummaryIndicatorTotal.objects.values_list("text", flat=True),
        *ReviewComment.objects.values_list("text", flat=True),
        *Attachment.objects.values_list("original_name", flat=True),
        # The commissions' registers: what the secretariat and the akimats typed.
        *CommissionMeeting.objects.values_list("protocol_number", flat=True),
        *CommissionMeeting.objects.values_list("agenda", flat=True),
        *CommissionDocument.objects.values_list("original_name", flat=True),
        *ProtocolDecision.objects.values_list("number", flat=True),
        *ProtocolDecision.objects.values_list("text", flat=True),
        *DecisionAssignment.objects.values_list("note", flat=True),
        *RegionalPlan.objects.values_list("act", flat=True),
        *RegionalPlan.objects.values_list("act_number", flat=True),
        *User.objects.values_list("username", flat=True),
        *(name for _code, name in settings.LANGUAGES),
    ]
    for fields in Measure.objects.values_list(
        "title", "completion_form", "responsible_text", "deadline_text"
    ):
        values.extend(fields)
    return "\n".join(" ".join(value.split()) for value in values)


def _occurs(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def russian_fragments(language: str) -> list[str]:
    """What of our Russian msgids must not appear on a page in `language`: each literal part
    (between placeholders) of at least two words or one word of seven letters or more, unless
    the data could hold it or a translation (of any string) writes it the same way."""
    data = data_text()
    translated = "\n".join(s for e in catalog(language) for s in e["msgstr"])
    fragments = set()
    for entry in catalog(language):
        if is_django_string(entry["msgid"]):
            continue  # checked separately (DJANGO_ENGLISH)
        for part in PLACEHOLDER.split(" ".join(entry["msgid"].split())):
            part = part.strip(" :.,;—·()«»")
            words = part.split()
            if len(words) >= 2 or (len(words) == 1 and len(part) >= 7):
                fragments.add(part)
    checked = sorted(f for f in fragments if not _occurs(f, data) and not _occurs(f, translated))
    assert len(checked) > 300, "the check would be hollow"
    return checked


# Django's own English strings a Kazakh page could otherwise show, and the English words that
# may appear on one: file types, the language switcher's "English", people's user names.
DJANGO_ENGLISH = (
    "Username",
    "Password",
    "This field is required",
    "Select a valid choice",
    "Please enter a correct",
    "Forbidden",
)
LATIN_ALLOWED = {"XLSX", "DOCX", "PDF", "JPEG", "PNG", "English", "loaddata", "Excel"}


def assert_interface_in(language: str, response, fragments: list[str], allowed=frozenset()):
    assert response.status_code in (200, 400, 403, 404, 409), response.status_code
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    text = visible_text(response)
    left = [f for f in fragments if _occurs(f, text)]
    assert not left, f"untranslated on {response.request['PATH_INFO']}: {left}"
    if language == "kk":
        data = data_text()
        english = {
            word
            for word in re.findall(r"[A-Za-z]+(?:[_.][A-Za-z]+)*", text)
            if word not in LATIN_ALLOWED | allowed and not _occurs(word, data)
        }
        assert not english, f"English on {response.request['PATH_INFO']}: {english}"
        for phrase in DJANGO_ENGLISH:
            assert phrase not in text
    return text


@pytest.fixture
def scenario(plan, mon_officer, akimat_officer, mvd_secretariat):
    """2019: МОН's report returned with a comment (a document attached, one line left empty),
    the Almaty akimat's submitted, the summary generated. In the commissions' registers: a
    meeting of the interdepartmental commission with two decisions for МОН and the akimat (one
    done late by МОН, one overdue), a meeting of the akimat's regional commission, and the
    akimat's regional plan approved late."""
    cycle = ReportingCycle.objects.get(plan__code=PLAN_CODE, year=2019)
    mon = services.report_open(cycle=cycle, agency=mon_officer.agency)
    fill(mon, mon_officer)
    first = mon.entries.order_by("measure__position").first()
    services.attachment_add(entry=first, user=mon_officer, file=upload("акт.pdf", PDF))
    services.report_submit(report=mon, user=mon_officer)
    services.report_return(report=mon, user=mvd_secretariat, comment="Приложите протокол.")
    last = mon.entries.order_by("measure__position").last()
    services.entry_update(
        entry=last, user=mon_officer, status="", narrative="", version=last.version
    )
    almaty = services.report_open(cycle=cycle, agency=akimat_officer.agency)
    fill(almaty, akimat_officer, status=ReportEntry.Status.PARTIAL)
    services.report_submit(report=almaty, user=akimat_officer)
    summary = services.summary_generate(cycle=cycle, user=mvd_secretariat)
    item = summary.items.select_related("measure").order_by("measure__position").first()

    day = datetime.date
    meeting = commissions.meeting_record(
        user=mvd_secretariat,
        agency=None,
        held_on=day(2019, 3, 14),
        protocol_number="1",
        agenda="О ходе исполнения Плана мероприятий за 2018 год",
        document=upload("протокол.pdf", PDF),
    )
    agencies = [mon_officer.agency, akimat_officer.agency]
    done = commissions.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="1",
        text="Представить сведения о проведённых проверках.",
        due_date=day(2019, 6, 1),
        agencies=agencies,
    )
    commissions.decision_add(
        meeting=meeting,
        user=mvd_secretariat,
        number="2",
        text="Обеспечить обучение сотрудников.",
        due_date=day(2019, 12, 1),
        agencies=agencies,
    )
    commissions.assignment_complete(
        assignment=done.assignments.get(agency=mon_officer.agency),
        user=mon_officer,
        note="Сведения направлены письмом от 20.06.2019.",
    )
    commissions.meeting_record(
        user=akimat_officer,
        agency=akimat_officer.agency,
        held_on=day(2019, 9, 5),
        protocol_number="3",
        agenda="О профилактике торговли людьми",
    )
    commissions.regional_plan_record(
        plan=plan,
        agency=akimat_officer.agency,
        user=akimat_officer,
        act="Постановление акимата города Алматы",
        act_number="4/123",
        approved_on=day(2018, 11, 20),
        document=upload("план.pdf", PDF),
    )
    # МВД's own report: its measure-1 line offers the year's meetings of the commission.
    mvd = services.report_open(cycle=cycle, agency=mvd_secretariat.agency)
    measure_one = mvd.entries.get(measure__number="1")
    return {
        "cycle": cycle,
        "mon": mon,
        "almaty": almaty,
        "entry": first,
        "summary": summary,
        "item": item,
        "meeting": meeting,
        "measure_one": measure_one,
    }


def officer_pages(s, plan):
    sub_measure = Measure.objects.get(plan=plan, number="3.1")
    return [
        reverse("home"),
        reverse("plan_list"),
        plan.get_absolute_url(),
        f"{plan.get_absolute_url()}?agency=mon&year=2019",
        reverse("measure_detail", args=[plan.code, "3"]),
        sub_measure.get_absolute_url(),
        reverse("agency_list"),
        reverse("agency_detail", args=["mon"]),
        s["mon"].get_absolute_url(),
        s["entry"].get_absolute_url(),
        reverse("report_detail", args=[999999]),  # our 404 page
        reverse("cycle_dashboard", args=[s["cycle"].pk]),  # our 403 page, with its reason
        reverse("meeting_list"),
        s["meeting"].get_absolute_url(),
        reverse("assignment_list"),
        reverse("regional_plan_list"),
        reverse("commission_compliance"),  # our 403 page: for the secretariat and observers
    ]


def secretariat_pages(s):
    cycle = s["cycle"]
    return [
        reverse("home"),
        reverse("report_list"),
        f"{reverse('report_list')}?cycle={cycle.pk}&state=submitted",
        s["almaty"].get_absolute_url(),
        s["mon"].get_absolute_url(),
        reverse("cycle_dashboard", args=[cycle.pk]),
        f"{reverse('cycle_dashboard', args=[cycle.pk])}?state=not_started&kind=akimat",
        reverse("summary_detail", args=[cycle.pk]),
        reverse("summary_item_edit", args=[cycle.pk, s["item"].pk]),
        s["item"].measure.get_absolute_url(),
        reverse("meeting_list"),
        s["meeting"].get_absolute_url(),
        reverse("commission_compliance"),
        reverse("assignment_list"),
        f"{reverse('assignment_list')}?state=overdue",
        reverse("regional_plan_list"),
        s["measure_one"].get_absolute_url(),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_speak_the_language(
    language, client, scenario, plan, mon_officer, mvd_secretariat
):
    fragments = russian_fragments(language)
    headers = {"accept-language": language}

    # Logged out: the login page, and its error (Django's string, translated by us in Kazakh).
    assert_interface_in(language, client.get(reverse("login"), headers=headers), fragments)
    refused = client.post(
        reverse("login"), {"username": "mon_officer", "password": "wrong"}, headers=headers
    )
    assert_interface_in(language, refused, fragments)

    client.force_login(mon_officer)
    for url in officer_pages(scenario, plan):
        assert_interface_in(language, client.get(url, headers=headers), fragments)
    # A form with errors: a choice that does not exist, a document of the wrong type.
    entry = scenario["entry"]
    response = client.post(
        entry.get_absolute_url(),
        {
            "status": "x",
            "narrative": "",
            "version": entry.version,
            "documents": upload("скан.exe", b"MZ"),
        },
        headers=headers,
    )
    assert response.status_code == 200
    assert_interface_in(language, response, fragments, allowed={"exe", "x"})

    client.force_login(mvd_secretariat)
    for url in secretariat_pages(scenario):
        assert_interface_in(language, client.get(url, headers=headers), fragments)


@pytest.mark.django_db
def test_the_check_finds_russian_on_a_russian_page(client, scenario, mon_officer):
    """The check above is not hollow: the same pages in Russian fail it."""
    client.force_login(mon_officer)
    with pytest.raises(AssertionError, match="untranslated"):
        assert_interface_in("ru", client.get(reverse("home")), russian_fragments("kk"))


def get(client, url, language):
    return client.get(url, headers={"accept-language": language})


@pytest.mark.django_db
def test_kazakh_words_on_the_pages(client, scenario, plan, mon_officer, mvd_secretariat):
    login = visible_text(get(client, reverse("login"), "kk"))
    assert "Порталға кіру" in login and "Пайдаланушы аты" in login and "Құпия сөз" in login
    refused = client.post(
        reverse("login"),
        {"username": "mon_officer", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert "Дұрыс пайдаланушы аты мен құпия сөзді енгізіңіз" in visible_text(refused)

    client.force_login(mon_officer)
    home = visible_text(get(client, reverse("home"), "kk"))
    for words in ("Менің есептерім", "Жоспар", "Орындаушылар", "Шығу", "2019 жылғы есеп"):
        assert words in home
    assert "Пысықтауға қайтарылды" in home  # the report's state
    assert "20 қаңтар 2020" in home  # the deadline, a Kazakh date
    assert "января" not in home and "Қаңтар" not in home

    page = visible_text(get(client, plan.get_absolute_url(), "kk"))
    assert "Аяқтау нысаны" in page and "Орындау мерзімі" in page and "Р/с №" in page
    assert "1 қазан 2018" in page  # the Resolution's date
    report = visible_text(get(client, scenario["mon"].get_absolute_url(), "kk"))
    assert "Орындалды" in report and "Хатшылықтың түсініктемелері" in report
    assert "Приложите протокол." in report  # the secretariat's comment: data, as written
    assert "Өзгерістер журналы" in report
    form = visible_text(get(client, scenario["entry"].get_absolute_url(), "kk"))
    assert "Орындалу мәртебесі" in form and "әрқайсысы 20 МБ-тан аспауы керек" in form
    for status in ("Орындалды", "Орындалуда", "Ішінара орындалды", "Орындалмады"):
        assert status in form  # the status choices

    client.force_login(mvd_secretariat)
    board = get(client, reverse("cycle_dashboard", args=[scenario["cycle"].pk]), "kk")
    text = visible_text(board)
    assert "Толықтығы" in text and "Уақтылылығы" in text and "Басталмаған" in text
    chart = json.loads(
        re.search(r'id="dashboard-chart-data"[^>]*>(.*?)</script>', board.content.decode(), re.S)[1]
    )
    assert chart["labels"][0] == "1-бөлім"
    assert [d["label"] for d in chart["datasets"]] == [
        "Орындалды",
        "Орындалуда",
        "Ішінара орындалды",
        "Орындалмады",
        "Толтырылмаған",
    ]
    summary = visible_text(
        get(client, reverse("summary_detail", args=[scenario["cycle"].pk]), "kk")
    )
    assert "2019 жылғы жиынтық ақпарат" in summary and "Ақпарат жоқ" in summary


@pytest.mark.django_db
def test_english_words_on_the_pages(client, scenario, plan, mon_officer, mvd_secretariat):
    login = visible_text(get(client, reverse("login"), "en"))
    assert "Sign in to the portal" in login and "Username" in login and "Password" in login

    client.force_login(mon_officer)
    home = visible_text(get(client, reverse("home"), "en"))
    for words in ("My reports", "Plan", "Executors", "Sign out", "Report for 2019"):
        assert words in home
    assert "Returned for revision" in home and "20 January 2020" in home
    page = visible_text(get(client, plan.get_absolute_url(), "en"))
    assert "Form of completion" in page and "Deadline for execution" in page
    assert "Approved by Government Resolution No. 609 of 1 October 2018" in page
    report = visible_text(get(client, scenario["mon"].get_absolute_url(), "en"))
    assert "Executed" in report and "Change log" in report

    client.force_login(mvd_secretariat)
    board = visible_text(get(client, reverse("cycle_dashboard", args=[scenario["cycle"].pk]), "en"))
    assert "Completeness" in board and "Timeliness" in board and "Partially executed" in board
    summary = visible_text(
        get(client, reverse("summary_detail", args=[scenario["cycle"].pk]), "en")
    )
    assert "Summary for 2019" in summary and "No information" in summary


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice(client, mon_officer):
    client.force_login(mon_officer)
    assert '<html lang="ru">' in client.get(reverse("home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "kk", "next": reverse("home")})
    assert response.status_code == 302 and response.url == reverse("home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    for url in (reverse("home"), reverse("plan_list"), reverse("agency_list")):
        content = client.get(url).content.decode()
        assert '<html lang="kk">' in content and "Менің есептерім" in content
    # The cookie outweighs the browser's preference.
    assert "Менің есептерім" in get(client, reverse("home"), "en").content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "My reports" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "ru", "next": reverse("home")})
    assert "Мои отчёты" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_switcher_names_each_language_in_itself(client, language):
    """Whatever the page's language, each option reads as its speakers write it (and the
    switcher is there before logging in)."""
    client.post(reverse("set_language"), {"language": language, "next": reverse("login")})
    content = client.get(reverse("login")).content.decode()
    options = re.findall(r'<option value="(\w+)" lang="\1"( selected)?>([^<]*)</option>', content)
    assert options == [
        ("ru", " selected" if language == "ru" else "", "Русский"),
        ("kk", " selected" if language == "kk" else "", "Қазақша"),
        ("en", " selected" if language == "en" else "", "English"),
    ]


# What leaves the portal in Russian whatever the interface, and what follows it


def _sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


@pytest.mark.django_db
def test_analysts_table_follows_the_interface_the_summary_stays_russian(scenario):
    cycle, summary = scenario["cycle"], scenario["summary"]
    with translation.override("kk"):
        entries = _sheet(exports.cycle_entries_xlsx(cycle))
        official = exports.summary_xlsx(summary)
    header = [cell.value for cell in entries[1]]
    assert header[:3] == ["Жыл", "Мемлекеттік орган коды", "Мемлекеттік орган"]
    assert entries.title == "Есептер 2019"
    values = {cell.value for row in entries.iter_rows(min_row=2) for cell in row}
    assert {"Ішінара орындалды", "Пысықтауға қайтарылды", "иә", "жоқ"} <= values
    assert any(v and "Министерство образования" in str(v) for v in values)  # data as written
    sheet = openpyxl.load_workbook(io.BytesIO(official))["Сводная информация"]
    words = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "Нет информации" in words and "Ақпарат жоқ" not in words

    with translation.override("en"):
        entries = _sheet(exports.cycle_entries_xlsx(cycle))
    assert [cell.value for cell in entries[1]][:3] == ["Year", "Agency code", "Agency"]


@pytest.mark.django_db
def test_summary_text_generated_in_kazakh_is_russian(scenario, mvd_secretariat):
    """The summary's text goes to the Government in Russian, whoever generates it."""
    with translation.override("kk"):
        summary = services.summary_generate(
            cycle=scenario["cycle"], user=mvd_secretariat, overwrite=True
        )
    texts = "\n".join(summary.items.values_list("text", flat=True))
    assert "Не представили информацию" in texts
    assert "ақпарат" not in texts.lower()


@pytest.mark.django_db
def test_login_with_the_right_password_in_kazakh(client, mon_officer):
    response = client.post(
        reverse("login"),
        {"username": "mon_officer", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="kk",
        follow=True,
    )
    assert "Менің есептерім" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_gender_placeholders_in_the_catalogs(language):
    """Official wording: «представлен», «сохранили: …», never «представил(о)» or «сохранил(а)»."""
    placeholder = re.compile(r"\w\((?:а|о|ла|ло|и)\)")
    for entry in catalog(language):
        for text in (entry["msgid"], *entry["msgstr"]):
            assert not placeholder.search(text), text
