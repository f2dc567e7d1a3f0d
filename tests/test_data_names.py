"""Kazakh and English beyond the interface: agencies, the plan and its sections carry their
official names in the data and show them in kk/en; a measure without a Kazakh text shows the
Russian one, marked as such."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency
from measures.models import Measure, Plan
from reporting.summaries.dashboard import agency_label
from tests.conftest import PLAN_CODE

pytestmark = pytest.mark.django_db


def test_the_fixture_names_every_agency_section_and_the_plan_in_kazakh_and_english():
    for agency in Agency.objects.all():
        assert agency.name_kk and agency.name_en, agency.code
    plan = Plan.objects.get(code=PLAN_CODE)
    assert plan.title_kk.startswith("Адам саудасына байланысты қылмыстардың")
    assert all(s.title_kk and s.title_en for s in plan.sections.all())
    assert Agency.objects.get(code="mvd").abbreviation_kk == "ІІМ"


@pytest.mark.parametrize(
    ("language", "name", "section"),
    [
        ("ru", "Министерство образования и науки Республики Казахстан", "6. Кадровое обеспечение"),
        (
            "kk",
            "Қазақстан Республикасының Білім және ғылым министрлігі",
            "6. Кадрлық қамтамасыз ету",
        ),
        ("en", "Ministry of Education and Science of the Republic of Kazakhstan", "6. Staffing"),
    ],
)
def test_pages_show_the_names_in_the_interface_language(
    client, mon_officer, language, name, section
):
    client.force_login(mon_officer)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    agency = client.get(reverse("agency_detail", args=["mon"]), **headers).content.decode()
    assert f'<h1 class="h4">{name}' in agency
    plan = client.get(Plan.objects.get(code=PLAN_CODE).get_absolute_url(), **headers)
    content = plan.content.decode()
    assert section in content
    marked = content.count('<span lang="ru">')
    if language == "ru":
        assert marked == 0 and "на русском языке" not in content
    else:
        # No measure has a Kazakh or English text yet: each title is the Russian one, marked.
        assert marked >= Measure.objects.filter(plan__code=PLAN_CODE).count()


def test_a_measures_kazakh_text_is_shown_when_present(client, mon_officer):
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="4")
    measure.title_kk = "Балаларды асырап алу кезінде заңнаманың сақталуын тексеру"
    measure.save()
    client.force_login(mon_officer)
    page = client.get(measure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Балаларды асырап алу кезінде" in page
    heading = page.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert 'lang="ru"' not in heading
    russian = client.get(measure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Балаларды асырап алу кезінде" not in russian


def test_the_tags_escape_and_mark():
    agency = Agency(name="<b>Орган</b>", abbreviation="", name_kk="")
    template = Template('{% load localized %}{{ agency|tr:"name" }}|{% localized agency "name" %}')
    with translation.override("kk"):
        rendered = template.render(Context({"agency": agency}))
    assert rendered == (
        '&lt;b&gt;Орган&lt;/b&gt;|<span lang="ru">&lt;b&gt;Орган&lt;/b&gt;</span> '
        '<span class="badge text-bg-light border fw-normal">орыс тілінде</span>'
    )


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("ru", ["МВД", "г. Астаны", "Акмолинской обл.", "ВКО"]),
        ("kk", ["ІІМ", "Астана қ.", "Ақмола обл.", "Шығыс Қазақстан обл."]),
        ("en", ["MIA", "Astana city", "Akmola Region", "East Kazakhstan Region"]),
    ],
)
def test_the_dashboards_short_labels_follow_the_language(language, labels):
    codes = ["mvd", "akimat-astana", "akimat-akmola", "akimat-east-kazakhstan"]
    with translation.override(language):
        assert [agency_label(Agency.objects.get(code=c)) for c in codes] == labels


def test_the_admins_spreadsheets_carry_the_names():
    from agencies.resources import AgencyResource

    dataset = AgencyResource().export(queryset=Agency.objects.filter(code="mvd"))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["name_kk"], row["abbreviation_en"]) == (
        "Қазақстан Республикасының Ішкі істер министрлігі",
        "MIA",
    )
    dataset.dict = [{**row, "name_en": "Ministry of Internal Affairs (renamed)"}]
    result = AgencyResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert Agency.objects.get(code="mvd").name_en == "Ministry of Internal Affairs (renamed)"
