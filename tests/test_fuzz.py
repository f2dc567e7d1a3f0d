"""Fuzzing the portal's inputs: the entry form, the review comment, the summary line, the plan
page's and the report list's filters, the sign-in form and the admin imports.

Whatever arrives (text of every Unicode category, lone surrogates sent as the bytes a broken
client would send, right-to-left marks, emoji, combining marks, NUL bytes, 1 MB strings,
missing, duplicated or wrongly typed fields), the portal answers with a page, never a 500, and
either writes the whole change or nothing: each example compares the database before and after
its own request.

Hypothesis runs derandomized (the same examples on every run, as CI needs) with example
counts sized so the module takes well under a minute; pytest-django's function-scoped fixtures
are not reset between examples, so each example checks only the change its own request made.
"""

import csv
import io
from urllib.parse import quote, quote_from_bytes

import pytest
import tablib
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agencies.models import Agency
from agencies.resources import AgencyResource
from agencies.spreadsheets import SPREADSHEET_FORMATS
from measures.models import Measure, Responsibility
from measures.resources import MeasureResource, ResponsibilityResource
from reporting import services
from reporting.models import AnnualReport, ReportEntry, ReviewComment, SummaryItem
from tests.conftest import PASSWORD, PLAN_CODE
from tests.reporting.conftest import cycle_of, fill

pytestmark = pytest.mark.django_db


def fuzz(max_examples):
    return hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,  # no .hypothesis/ folder: derandomized runs need no memory of failures
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# What is sent

MEGABYTE = 1024 * 1024
NASTY = [
    "",
    " ",
    "\x00",
    "Проведено\x00 12 проверок",
    "\x00" * 100,
    "\ufeffBOM",
    "مرحبا بالعالم — عربي",
    "שלום \u202eevil\u202c \u200f",
    "👩‍👩‍👧‍👦🇰🇿🙂" * 10,
    "Z̴̡̢̛͉̝a̷̛͓l̶͎̈g̸̙̒o̵̟͒ ё й ӑ",
    "\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    "\ud800 lone surrogate \udfff",
    "' OR 1=1; DROP TABLE reporting_reportentry; --",
    "<script>alert(1)</script>{{ 7*7 }}{% debug %}",
    "%(name)s %s {0} \\N{BULLET}",
    "a" * MEGABYTE,  # 1 MB: accepted or refused, never a crash
    "я" * (MEGABYTE // 2),  # 1 MB of UTF-8, 3 MB percent-encoded: over the upload limit
]
# Every Unicode category, surrogates (Cs) included.
any_text = st.text(st.characters(exclude_categories=[]), max_size=300)
text = st.one_of(any_text, st.sampled_from(NASTY), st.binary(max_size=100))


def encoded(value) -> str:
    """A form value as a client sends it: UTF-8, surrogates passed through as the invalid bytes
    a broken client sends, raw bytes as they are."""
    if isinstance(value, bytes):
        return quote_from_bytes(value)
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"))


def received(value) -> str:
    """What Django's QueryDict makes of `value`: invalid UTF-8 becomes U+FFFD."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def body(fields) -> str:
    """An urlencoded body from (name, value) pairs: a name may be missing or come twice."""
    return "&".join(f"{quote(name)}={encoded(value)}" for name, value in fields)


def form(**choices):
    """Pairs for a form: each field missing, once (most often) or twice, with its value."""
    pairs = []
    for name, values in choices.items():
        pairs.extend((name, value) for value in values)
    return pairs


def field(strategy):
    """A field's values: usually one, sometimes none (missing) or two (duplicated)."""
    return st.one_of(
        st.lists(strategy, min_size=1, max_size=1),
        st.lists(strategy, min_size=0, max_size=2),
    )


def numbers(valid):
    """Values for a number field: the right one, or of the wrong type or size."""
    return st.one_of(
        st.just(str(valid)),
        st.integers().map(str),
        st.sampled_from(["", "1.5", "1e3", "abc", "٣", "-0", "9" * 40, "NaN", "\x00"]),
        text,
    )


def post(client, url, fields):
    return client.post(url, body(fields), content_type="application/x-www-form-urlencoded")


def last(values):
    """What request.POST.get() returns for a field sent with `values`."""
    return received(values[-1]) if values else None


# The entry form


def entry_state(entry):
    entry.refresh_from_db()
    return (
        entry.status,
        entry.narrative,
        entry.version,
        entry.updated_at,
        entry.history.count(),
        entry.attachments.count(),
    )


@pytest.fixture
def mon_entry(mon_officer):
    report = services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency)
    return report.entries.order_by("measure__position").first()


STATUSES = [s for s, _ in ReportEntry.Status.choices]


def test_entry_form(client, mon_officer, mon_entry):
    client.force_login(mon_officer)
    url = reverse("entry_edit", args=[mon_entry.report_id, mon_entry.pk])

    @fuzz(60)
    @given(
        status=field(st.one_of(st.sampled_from(["", *STATUSES]), text)),
        narrative=field(text),
        version=st.one_of(st.none(), numbers(0)),
        save_next=st.booleans(),
    )
    @example(status=["done"], narrative=["Проведено\x00"], version=None, save_next=False)
    @example(status=["done"], narrative=["a" * MEGABYTE], version=None, save_next=True)
    @example(status=["done", "bogus"], narrative=["один", "два"], version=None, save_next=False)
    def check(status, narrative, version, save_next):
        before = entry_state(mon_entry)
        current = str(mon_entry.version) if version is None else version
        fields = form(status=status, narrative=narrative, version=[current])
        if save_next:
            fields.append(("save_next", "1"))

        response = post(client, url, fields)

        assert response.status_code in (200, 302, 400, 409), response.status_code
        after = entry_state(mon_entry)
        if response.status_code == 302:  # saved whole
            assert after[0] == (last(status) or "")
            assert after[1] == (last(narrative) or "").strip()
            assert after[2] == before[2] + 1
            assert "\x00" not in after[1]
        else:  # refused: nothing changed
            assert after == before

    check()


# The review comment


@pytest.fixture
def mon_submitted(mon_officer):
    report = services.report_open(cycle=cycle_of(2019), agency=mon_officer.agency)
    return services.report_submit(report=fill(report, mon_officer), user=mon_officer)


def review_state(report):
    report.refresh_from_db()
    return (
        report.state,
        report.reviewed_at,
        report.history.count(),
        list(ReviewComment.objects.filter(report=report).values_list("kind", "text")),
    )


def test_review_comment(client, mon_submitted, mon_officer, mvd_secretariat):
    client.force_login(mvd_secretariat)
    url = reverse("report_return", args=[mon_submitted.pk])

    @fuzz(40)
    @given(comment=field(text))
    @example(comment=["Доработать\x00"])
    @example(comment=["a" * MEGABYTE])
    def check(comment):
        before = review_state(mon_submitted)

        response = post(client, url, form(comment=comment))

        assert response.status_code in (302, 400), response.status_code
        after = review_state(mon_submitted)
        if after[0] == AnnualReport.State.RETURNED:  # returned whole, with its comment
            assert response.status_code == 302
            assert after[3] == [*before[3], ("return", last(comment).strip())]
            # Back to submitted for the next example.
            services.report_submit(report=mon_submitted, user=mon_officer)
        else:
            assert after == before

    check()


# The summary line


@pytest.fixture
def summary_item(mon_submitted, mvd_secretariat):
    summary = services.summary_generate(cycle=cycle_of(2019), user=mvd_secretariat)
    return summary.items.order_by("measure__position").first()


SUMMARY_STATUSES = [s for s, _ in SummaryItem.Status.choices]


def item_state(item):
    item.refresh_from_db()
    return (item.status, item.text, item.version, item.is_edited, item.history.count())


def test_summary_item(client, summary_item, mvd_secretariat):
    client.force_login(mvd_secretariat)
    url = reverse("summary_item_edit", args=[summary_item.summary.cycle_id, summary_item.pk])

    @fuzz(40)
    @given(
        status=field(st.one_of(st.sampled_from(SUMMARY_STATUSES), text)),
        text_=field(text),
        version=st.one_of(st.none(), numbers(0)),
    )
    @example(status=["done"], text_=["Итог\x00"], version=None)
    def check(status, text_, version):
        before = item_state(summary_item)
        current = str(summary_item.version) if version is None else version

        response = post(client, url, form(status=status, text=text_, version=[current]))

        assert response.status_code in (200, 302, 400, 409), response.status_code
        after = item_state(summary_item)
        if response.status_code == 302:
            assert after[:3] == (last(status), (last(text_) or "").strip(), before[2] + 1)
        else:
            assert after == before

    check()


# The filters of the plan page and of the report list


def query(fields) -> str:
    return "&".join(f"{quote(name)}={encoded(value)}" for name, value in fields)


AGENCY_CODES = ["mvd", "mon", "akimat-almaty"]


@pytest.mark.parametrize(
    ("url_name", "args", "names"),
    [
        ("plan_detail", [PLAN_CODE], {"agency": AGENCY_CODES, "year": ["2018", "2020"]}),
        (
            "report_list",
            [],
            {"agency": AGENCY_CODES, "cycle": ["1"], "state": ["draft", "submitted"]},
        ),
    ],
)
def test_filters(client, observer, url_name, args, names):
    client.force_login(observer)
    url = reverse(url_name, args=args)
    filter_fields = st.fixed_dictionaries(
        {name: field(st.one_of(st.sampled_from(valid), text)) for name, valid in names.items()}
    )

    @fuzz(40)
    @given(fields=filter_fields)
    @example(fields={name: ["\x00"] for name in names})
    @example(fields={name: ["x" * MEGABYTE] for name in names})
    def check(fields):
        sent = form(**fields)
        response = client.get(url, QUERY_STRING=query(sent))
        # A NUL byte in an address is refused whole (plan_portal.middleware); anything else is
        # the page, filtered or not.
        nul = any("\x00" in received(value) for _, value in sent)
        assert response.status_code == (400 if nul else 200), response.status_code

    check()


def test_measure_page_with_any_number(client, observer):
    """The measure's number is free text in its address."""
    client.force_login(observer)

    @fuzz(30)
    @given(number=st.one_of(st.sampled_from(["1", "3.1", "28"]), text))
    @example(number="\x00")
    @example(number="1\x00")
    def check(number):
        path = f"/plans/{PLAN_CODE}/measures/{encoded(number)}/"
        response = client.get(path)
        if "\x00" in received(number):
            assert response.status_code == 400
        else:
            assert response.status_code in (200, 301, 404), response.status_code

    check()


# The sign-in form, with the lockout on as in production


def test_sign_in(settings, mon_officer):
    settings.AXES_ENABLED = True

    @fuzz(40)
    @given(
        username=field(st.one_of(st.just(mon_officer.username), text)),
        password=field(st.one_of(st.just(PASSWORD + "-wrong"), text)),
    )
    @example(username=["mon_officer\x00"], password=["x"])
    @example(username=["mon_officer"], password=["\x00"])
    @example(username=["\x00"], password=["\x00"])
    @example(username=["a" * MEGABYTE], password=["a" * MEGABYTE])
    def check(username, password):
        client = Client()

        response = post(client, reverse("login"), form(username=username, password=password))

        assert response.status_code in (200, 400, 403, 429), response.status_code
        assert "_auth_user_id" not in client.session

    check()


# The admin imports


RESOURCES = {
    "agencies.agency": (AgencyResource, Agency),
    "measures.measure": (MeasureResource, Measure),
    "measures.responsibility": (ResponsibilityResource, Responsibility),
}
GOOD_CELLS = {
    "code": ["mf", "new-agency", "mvd"],
    "abbreviation": ["МФ", ""],
    "name": ["Министерство финансов", "Новый орган"],
    "name_kk": ["Қаржы министрлігі", ""],
    "name_en": ["Ministry of Finance", ""],
    "abbreviation_kk": ["ҚМ", ""],
    "abbreviation_en": ["MF", ""],
    "kind": ["ministry", "state_body", "akimat"],
    "by_agreement": ["0", "1"],
    "parent": ["", "mvd"],
    "is_active": ["1", "0"],
    "plan": [PLAN_CODE],
    "section": ["1", "6"],
    "number": ["28", "3.8", "30"],
    "position": ["3", "100", "35"],
    "title": ["Мероприятие"],
    "title_kk": ["Іс-шара", ""],
    "completion_form": ["информация"],
    "responsible_text": ["МВД"],
    "deadline_text": ["ежегодно"],
    "first_year": ["2018", "2019", ""],
    "last_year": ["2020", ""],
    "open_to_interested": ["0", "1"],
    "reports_commission_meetings": ["0", "1"],
    "measure": ["28", "1", "3.4"],
    "agency": ["mz", "mon", "mvd"],
    "is_consolidator": ["0", "1"],
}


def table_state(model):
    """Every row of the table, every column."""
    return list(model.objects.order_by("pk").values())


def import_rows(resource_class):
    """Rows for the resource's columns, all or some of them: good cells with, usually, one
    fuzzed cell per row."""
    columns = list(resource_class().fields)
    headers = st.one_of(
        st.just(columns),
        st.lists(st.sampled_from(columns), unique=True, min_size=1).map(
            lambda chosen: [c for c in columns if c in chosen]
        ),
    )

    def rows(header):
        good_row = st.tuples(*(st.sampled_from(GOOD_CELLS[name]) for name in header))
        fuzzed = st.tuples(good_row, st.integers(0, 3 * len(header)), text).map(
            lambda t: tuple(t[2] if i == t[1] else v for i, v in enumerate(t[0]))
        )
        return st.lists(fuzzed, min_size=1, max_size=3)

    return headers.flatmap(lambda header: st.tuples(st.just(header), rows(header)))


def as_cell(value) -> str:
    return received(value)


@pytest.mark.parametrize("model", RESOURCES)
def test_resource_import(plan, model):
    resource_class, model_class = RESOURCES[model]

    @fuzz(30)
    @given(table=import_rows(resource_class))
    @example(table=with_nul(resource_class))
    def check(table):
        header, rows = table
        dataset = tablib.Dataset(*[[as_cell(v) for v in row] for row in rows], headers=list(header))
        before = table_state(model_class)

        result = resource_class().import_data(dataset, dry_run=False, raise_errors=False)

        after = table_state(model_class)
        if has_nul(rows):  # refused whole, with the cell named (no traceback, no row written)
            message = str(result.base_errors[0].error)
            # …unless the file lacks a required column: that refusal comes first.
            assert "недопустимый символ NUL" in message or "нет обязательных столбцов" in message
        if result.has_errors() or result.has_validation_errors():
            assert after == before  # a refused file writes nothing
        else:
            new = sum(1 for row in result.rows if row.import_type == "new")
            assert len(after) == len(before) + new
            for row in after:
                assert not any("\x00" in v for v in row.values() if isinstance(v, str))

    check()


def with_nul(resource_class):
    """A good row of every column, but for a NUL byte in one text cell."""
    header = list(resource_class().fields)
    row = [GOOD_CELLS[name][0] for name in header]
    row[-1] = f"{row[-1]}\x00"
    return header, [tuple(row)]


def has_nul(rows) -> bool:
    return any("\x00" in as_cell(value) for row in rows for value in row)


def csv_bytes(header, rows, encoding) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *([as_cell(v) for v in row] for row in rows)])
    return out.getvalue().encode(encoding, "surrogatepass")


@pytest.mark.parametrize("model", RESOURCES)
def test_admin_import_view(client, admin_user, plan, model):
    resource_class, model_class = RESOURCES[model]
    client.force_login(admin_user)
    app, name = model.split(".")
    import_url = reverse(f"admin:{app}_{name}_import")
    confirm_url = reverse(f"admin:{app}_{name}_process_import")
    csv_format = str(
        SPREADSHEET_FORMATS.index(next(f for f in SPREADSHEET_FORMATS if f().get_title() == "csv"))
    )

    @fuzz(15)
    @given(
        table=import_rows(resource_class),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]),
        garbage=st.one_of(st.just(b""), st.binary(max_size=64)),
    )
    @example(table=with_nul(resource_class), encoding="utf-8", garbage=b"")
    @example(table=(["code"], [("mf",)]), encoding="utf-8", garbage=b"\x00\xff\xfe")
    def check(table, encoding, garbage):
        header, rows = table
        try:
            content = csv_bytes(header, rows, encoding) + garbage
        except UnicodeEncodeError:  # cp1251 cannot say everything: send UTF-8 bytes instead
            content = csv_bytes(header, rows, "utf-8") + garbage
        upload = io.BytesIO(content)
        upload.name = "import.csv"
        before = table_state(model_class)

        preview = client.post(
            import_url, {"resource": "0", "format": csv_format, "import_file": upload}
        )

        assert preview.status_code == 200, preview.status_code
        assert table_state(model_class) == before  # the preview is a dry run
        if has_nul(rows) and encoding == "utf-8" and not garbage:
            assert "недопустимый символ NUL" in preview.content.decode()
        if preview.context and "confirm_form" in preview.context:
            response = client.post(confirm_url, preview.context["confirm_form"].initial)
            assert response.status_code == 302, response.status_code
            after = table_state(model_class)
            for row in after:
                assert not any("\x00" in v for v in row.values() if isinstance(v, str))

    check()


# What the fuzzing found, pinned down


def test_services_refuse_nul_whoever_calls_them(mon_entry, mon_officer):
    """The forms refuse NUL; a command or the shell calling the services is refused too, rather
    than PostgreSQL failing (or SQLite keeping the byte)."""
    from reporting.exceptions import ReportingError

    before = entry_state(mon_entry)
    with pytest.raises(ReportingError, match="NUL"):
        services.entry_update(
            entry=mon_entry, user=mon_officer, status="done", narrative="a\x00b", version=1
        )
    assert entry_state(mon_entry) == before


def test_an_overlong_username_is_a_form_error(client, settings):
    settings.AXES_ENABLED = True
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_a_nul_in_any_address_is_a_400(client, admin_user):
    client.force_login(admin_user)
    for path in (
        "/plans/x%00/",
        f"/plans/{PLAN_CODE}/measures/1%00/",
        "/admin/agencies/agency/?q=%00",
    ):
        assert client.get(path).status_code == 400, path
