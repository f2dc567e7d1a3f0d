"""The plan fixture checked against the text of Resolution No. 609, measure by measure."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError

from agencies.models import Agency
from measures.models import Measure, Plan, Responsibility, Section
from reporting.models import ReportingCycle
from tests.conftest import PLAN_CODE

# The text of the Resolution as extracted from its PDF (a copy of shared/seed).
SEED = Path(settings.BASE_DIR) / "fixtures" / "source" / "resolution-609-plan-2018-2020.txt"

AKIMATS = [
    "akimat-astana",
    "akimat-almaty",
    "akimat-shymkent",
    "akimat-akmola",
    "akimat-aktobe",
    "akimat-almaty-region",
    "akimat-atyrau",
    "akimat-east-kazakhstan",
    "akimat-zhambyl",
    "akimat-west-kazakhstan",
    "akimat-karaganda",
    "akimat-kostanay",
    "akimat-kyzylorda",
    "akimat-mangystau",
    "akimat-pavlodar",
    "akimat-north-kazakhstan",
    "akimat-turkestan",
]
MVK = "информация в рабочий орган МВК, Протокол МВК"
ANNUAL = "ежегодно"
Y1820 = "2018 – 2020 годы"

pytestmark = pytest.mark.django_db

# The Plan's table as the Resolution means it. Executors are written as in the column:
# "ГП*" is "(по согласованию)", "МВД!" is "(свод)", "[2018-2019]" the executor's own years,
# "акиматы" the akimats of Astana, Almaty, Shymkent and the 14 regions; other tokens are
# abbreviations, or agency codes where the Resolution gives none.
# fmt: off
PLAN_TABLE = [
    # number, section, completion form, executors, deadline, years, open to interested
    ("1", 1, "заседания МВК", "МВД[2018-2019] МТСЗН[2020-2021] акиматы[2018-2020]",
     "2018 – 2020 годы (не реже одного раза в полугодие)", (2018, 2020), False),
    ("2", 1, "информация в МВД", "МФ МВД ГП*", ANNUAL, (2018, 2020), False),
    ("3", 1, MVK, "", ANNUAL, (2018, 2020), False),
    ("3.1", 1, MVK, "МВД", ANNUAL, (2018, 2020), False),
    ("3.2", 1, MVK, "МВД КНБ* МФ", ANNUAL, (2018, 2020), False),
    ("3.3", 1, MVK, "МВД КНБ*", ANNUAL, (2018, 2020), False),
    ("3.4", 1, MVK, "МВД акиматы МТСЗН МОН ГП*", ANNUAL, (2018, 2020), False),
    ("3.5", 1, MVK, "МВД МФ", ANNUAL, (2018, 2020), False),
    ("3.6", 1, MVK, "МВД ГП*", ANNUAL, (2018, 2020), False),
    ("3.7", 1, MVK, "МВД МИК ГП*", ANNUAL, (2018, 2020), False),
    ("4", 1, MVK, "МОН ГП* childrens-ombudsman* МИД акиматы", ANNUAL, (2018, 2020), False),
    ("5", 1, "участие в работе органов СНГ", "МВД ГП* КНБ*", Y1820, (2018, 2020), False),
    ("6", 2, "деятельность кризисных центров г.г. Астаны, Алматы, Шымкента и областей",
     "акиматы", ANNUAL, (2018, 2020), False),
    ("7", 2, MVK, "МТСЗН акиматы МВД", ANNUAL, (2018, 2020), False),
    ("8", 2, MVK, "МИД", Y1820, (2018, 2020), False),
    ("9", 2, 'функционирование "телефонов доверия", "горячих линий"', "МВД", ANNUAL,
     (2018, 2020), True),
    ("10", 3, "информация в Исполнительный комитет СНГ", "МВД! ГП* МТСЗН", ANNUAL,
     (2018, 2020), True),
    ("11", 3, "отчеты о проверках", "МВД ГП* МИД", ANNUAL, (2018, 2020), False),
    ("12", 3, MVK, "МВД МТСЗН МИД МКС МОН МЮ НЦПЧ* КПЧ* ВС* ГП* акиматы", Y1820, (2018, 2020),
     False),
    ("13", 4, MVK, "МВД акиматы МИК ГП*", ANNUAL, (2018, 2020), False),
    ("14", 4, "профилактические меры", "МОН МТСЗН акиматы", ANNUAL, (2018, 2020), False),
    ("15", 4, "результаты проверок, информация в рабочий орган МВК", "акиматы МТСЗН МВД",
     ANNUAL, (2018, 2020), False),
    ("16", 4, MVK, "ГП* МВД АДГСПК* МФ КНБ*", ANNUAL, (2018, 2020), False),
    ("17", 4, "информационные кампании, акции, флешмобы", "акиматы МВД МОН МЗ", ANNUAL,
     (2018, 2020), True),
    ("18", 4, "статьи, публикации, выступления, пресс-релизы в СМИ",
     "МВД МТСЗН МИК МОН ГП* акиматы", ANNUAL, (2018, 2020), False),
    ("19", 5, "информация в рабочий орган МВК", "МВД ВС* ГП*", ANNUAL, (2018, 2020), False),
    ("20", 5, "семинары, совещания, встречи", "МВД ГП*", Y1820, (2018, 2020), False),
    ("21", 5, "научные пособия, статьи, публикации",
     "karaganda-academy-mvd law-enforcement-academy-gp", Y1820, (2018, 2020), False),
    ("22", 5, "семинары, круглые столы, тренинги", "МВД МТСЗН", Y1820, (2018, 2020), True),
    ("23", 6, "курсы повышения квалификации, тренинги, стажировки", "МВД",
     "2018 – 2019 годы", (2018, 2019), True),
    ("24", 6, "обучающие курсы", "МВД", ANNUAL, (2018, 2020), False),
    ("25", 6, "обучающие курсы, семинары, тренинги", "ВС*", ANNUAL, (2018, 2020), False),
    ("26", 6, "обучающие курсы, тренинги", "ГП*", Y1820, (2018, 2020), False),
    ("27", 6, "учебные материалы", "МВД ГП* ВС*", Y1820, (2018, 2020), False),
    ("28", 6, "обучающие курсы", "МВД МТСЗН", "2018 год", (2018, 2018), False),
    ("29", 7, "проект Постановления Правительства Республики Казахстан", "МТСЗН", "2020 год",
     (2020, 2020), True),
]
# fmt: on

SECTION_TITLES = {
    1: "Организационно-практические мероприятия по противодействию торговле людьми",
    2: "Организационно-практические мероприятия по оказанию помощи жертвам торговли людьми",
    3: "Сотрудничество с компетентными органами государств-участников СНГ, международными и "
    "неправительственными организациями",
    4: "Организационно-профилактические меры противодействия торговле людьми",
    5: "Информационное и научно-методическое обеспечение",
    6: "Кадровое обеспечение",
    7: "Организационно-правовые мероприятия",
}

# Titles a page break split, or whose number the extraction lost, rejoined as meant.
REJOINED_TITLES = {
    "3.3": "по перекрытию каналов незаконной миграции и торговли людьми, в том числе в рамках "
    "приграничного сотрудничества;",
    "19": "Обмен с правоохранительными и судебными органами государств-участников СНГ опытом "
    "работы, законодательными и иными нормативными правовыми актами, методическими пособиями, "
    "статистической и иной информацией, а также результатами следственно-судебной практики в "
    "сфере борьбы с торговлей людьми",
    "28": "Организация и проведение тренингов, обучающих курсов по повышению квалификации "
    "социальных работников, психологов, операторов горячих линий, сотрудников служб "
    "занятости, а также специалистов по работе с жертвами торговли людьми",
}


def expected_executors(spec):
    """[(agency code, by_agreement, is_consolidator, first_year, last_year)] from a spec."""
    rows = []
    for token in spec.split():
        years = (None, None)
        if match := re.fullmatch(r"(.+)\[(\d{4})-(\d{4})\]", token):
            token, years = match[1], (int(match[2]), int(match[3]))
        agreement, consolidator = token.endswith("*"), token.endswith("!")
        token = token.rstrip("*!")
        if token == "акиматы":
            codes = AKIMATS
        elif Agency.objects.filter(abbreviation=token).exists():
            codes = [Agency.objects.get(abbreviation=token).code]
        else:
            codes = [token]
        rows += [(code, agreement, consolidator, *years) for code in codes]
    return rows


def despaced(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed_text():
    return despaced(SEED.read_text(encoding="utf-8"))


def test_the_plan_is_resolution_609(plan):
    assert plan.resolution_number == "609"
    assert plan.resolution_date == datetime.date(2018, 10, 1)
    assert (plan.start_year, plan.end_year) == (2018, 2020)
    assert plan.title.startswith("План мероприятий Правительства Республики Казахстан")
    assert plan.title.endswith("на 2018 – 2020 годы")


def test_sections(plan):
    assert {s.number: s.title for s in plan.sections.all()} == SECTION_TITLES


def test_measures_in_order(plan):
    numbers = list(plan.measures.order_by("position").values_list("number", flat=True))
    assert numbers == [row[0] for row in PLAN_TABLE]
    assert len(numbers) == 36


@pytest.mark.parametrize(
    ("number", "section", "form", "executors", "deadline", "years", "open_to_interested"),
    PLAN_TABLE,
    ids=[row[0] for row in PLAN_TABLE],
)
def test_measure(
    plan, seed_text, number, section, form, executors, deadline, years, open_to_interested
):
    measure = Measure.objects.get(plan=plan, number=number)
    assert measure.section.number == section
    assert measure.completion_form == form
    assert measure.deadline_text == deadline
    assert (measure.first_year, measure.last_year) == years
    assert measure.open_to_interested is open_to_interested
    assert measure.parent_id == (
        Measure.objects.get(plan=plan, number="3").pk if number.startswith("3.") else None
    )
    actual = [
        (r.agency.code, r.by_agreement, r.is_consolidator, r.first_year, r.last_year)
        for r in measure.responsibilities.select_related("agency").order_by("position")
    ]
    assert actual == expected_executors(executors)
    assert [r.position for r in measure.responsibilities.order_by("position")] == list(
        range(1, len(actual) + 1)
    )
    # The title is the Resolution's own words, whitespace and letter-spacing aside.
    if number in REJOINED_TITLES:
        assert measure.title == REJOINED_TITLES[number]
    else:
        assert despaced(measure.title) in seed_text
    assert despaced(form) in seed_text


def test_text_is_clean(plan):
    letter_spaced = re.compile(r"(?:\b\w ){3,}\w\b")
    for measure in plan.measures.all():
        for field in ("title", "completion_form", "responsible_text", "deadline_text"):
            value = getattr(measure, field)
            assert value == value.strip(), (measure.number, field)
            assert "  " not in value and "\n" not in value, (measure.number, field)
            assert not letter_spaced.search(value), (measure.number, field, value)
        # No text of the neighbouring columns inside the title.
        assert "ежегодно" not in measure.title, measure.number
        assert "Протокол МВК" not in measure.title, measure.number
        assert "согласовнию" not in measure.responsible_text  # the Resolution's typo, mended


def test_responsible_text_names_every_executor_in_order(plan):
    for measure in plan.measures.prefetch_related("responsibilities__agency"):
        text = measure.responsible_text
        named = [r.agency for r in measure.responsibilities.all() if r.agency.kind != "akimat"]
        offsets = []
        for agency in named:
            label = agency.abbreviation or agency.name.split()[0]
            assert label in text or "академия" in text.lower(), (measure.number, label)
            offsets.append(text.find(label) if label in text else 0)
        assert offsets == sorted(offsets), measure.number
        has_akimats = any(r.agency.kind == "akimat" for r in measure.responsibilities.all())
        assert has_akimats == ("акиматы г.г. Астаны, Алматы, Шымкента и областей" in text)


def test_headings_and_open_measures(plan):
    heading = Measure.objects.get(plan=plan, number="3")
    assert list(heading.children.values_list("number", flat=True)) == [
        f"3.{i}" for i in range(1, 8)
    ]
    assert not heading.responsibilities.exists()
    for measure in plan.measures.all():
        interested = (
            "заинтересованные государственные органы" in measure.responsible_text
            or "организации" in measure.responsible_text
        )
        assert measure.open_to_interested is interested, measure.number


def test_agencies():
    by_kind = {}
    for agency in Agency.objects.all():
        by_kind.setdefault(agency.kind, set()).add(agency.abbreviation or agency.code)
    assert by_kind["ministry"] == {"МВД", "МТСЗН", "МФ", "МОН", "МИК", "МИД", "МКС", "МЗ", "МЮ"}
    assert by_kind["state_body"] == {
        "ГП",
        "КНБ",
        "ВС",
        "АДГСПК",
        "НЦПЧ",
        "КПЧ",
        "childrens-ombudsman",
    }
    assert by_kind["organization"] == {"karaganda-academy-mvd", "law-enforcement-academy-gp"}
    assert sorted(by_kind["akimat"]) == sorted(AKIMATS)
    assert set(Agency.objects.filter(by_agreement=True).values_list("code", flat=True)) == {
        "gp",
        "knb",
        "vs",
        "adgspk",
        "ncpch",
        "kpch",
        "childrens-ombudsman",
    }
    assert Agency.objects.get(code="mtszn").name == (
        "Министерство труда и социальной защиты населения Республики Казахстан"
    )
    assert Agency.objects.get(code="adgspk").abbreviation == "АДГСПК"  # Cyrillic С throughout
    assert Agency.objects.get(code="akimat-turkestan").name == "Акимат Туркестанской области"
    assert Agency.objects.get(code="karaganda-academy-mvd").parent.code == "mvd"
    assert Agency.objects.get(code="law-enforcement-academy-gp").parent.code == "gp"
    # Every agency of the fixture executes something.
    assert not Agency.objects.filter(responsibilities=None).exists()


def test_reporting_cycles(plan):
    cycles = [
        (c.year, c.submission_deadline, c.summary_deadline, c.coordinator.code)
        for c in ReportingCycle.objects.filter(plan=plan).order_by("year")
    ]
    assert cycles == [
        (2018, datetime.date(2019, 1, 20), datetime.date(2019, 2, 10), "mvd"),
        (2019, datetime.date(2020, 1, 20), datetime.date(2020, 2, 10), "mvd"),
        (2020, datetime.date(2021, 1, 20), datetime.date(2021, 2, 10), "mtszn"),
    ]


MODELS = (Agency, Plan, Section, Measure, Responsibility, ReportingCycle)


def snapshot():
    return {model: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = snapshot()
    mvd = Agency.objects.get(code="mvd")
    mvd.name = "changed"
    mvd.save()
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    assert snapshot() == before
    # Loading again restores what the Resolution says.
    assert Agency.objects.get(code="mvd").name == "Министерство внутренних дел Республики Казахстан"


@pytest.mark.django_db
def test_a_broken_fixture_leaves_the_database_as_it_was(tmp_path):
    before = snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text(
        """[
  {"model": "agencies.agency", "fields": {"code": "new-body", "name": "Новый орган",
   "kind": "state_body"}},
  {"model": "measures.responsibility", "fields": {"measure": ["trafficking-2018-2020", "2"],
   "agency": ["no-such-agency"], "position": 9}}
]""",
        encoding="utf-8",
    )
    with pytest.raises(DeserializationError, match="Error deserializing object"):
        call_command("loaddata", str(broken), verbosity=0)
    assert snapshot() == before
    assert not Agency.objects.filter(code="new-body").exists()


@pytest.mark.django_db
def test_a_fixture_of_invalid_json_is_refused(tmp_path):
    before = snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "agencies.agency", "fields": {', encoding="utf-8")
    with pytest.raises(DeserializationError, match="broken"):
        call_command("loaddata", str(broken), verbosity=0)
    assert snapshot() == before


def test_plan_code_constant_matches(plan):
    assert plan.code == PLAN_CODE
