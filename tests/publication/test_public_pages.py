"""The public pages: for anyone, the plan's measures and what each sent summary said of them;
never a draft, a narrative, or any other page of the portal."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PLAN_CODE
from tests.publication.conftest import DRAFT_TEXT, NARRATIVE, SENT_TEXT

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_list_of_plans(client, published):
    response = client.get(reverse("public_plan_list"))
    assert response.status_code == 200
    assert reverse("public_plan_detail", args=[PLAN_CODE]) in response.content.decode()


def test_the_plan_page_shows_what_was_sent_and_nothing_else(client, published):
    response = client.get(reverse("public_plan_detail", args=[PLAN_CODE]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{SENT_TEXT} (3.4)" in page
    assert "Исполнено" in page
    assert DRAFT_TEXT not in page and NARRATIVE not in page
    assert "за годы: 2018." in page
    measures = {
        item.measure.number: item
        for section in response.context["publication"].sections
        for item in section.measures
    }
    assert [(y.year, y.line.text) for y in measures["1"].years] == [(2018, f"{SENT_TEXT} (1)")]
    assert measures["3"].years == []  # a heading: its sub-measures have the lines
    assert measures["3.1"].years[0].line.status == "done"
    assert "В сводной информации за этот год строки нет." not in page


def test_a_plan_without_a_sent_summary_says_so(client, plan):
    page = client.get(reverse("public_plan_detail", args=[PLAN_CODE])).content.decode()
    assert "ещё не отправлялась" in page


def test_an_unknown_plan_is_a_404(client):
    assert client.get(reverse("public_plan_detail", args=["no-such-plan"])).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("ru", "Открытые сведения", "Исполнено"),
        ("kk", "Ашық мәліметтер", "Орындалды"),
        ("en", "Open information", "Executed"),
    ],
)
def test_the_pages_speak_the_chosen_language(client, published, language, heading, status):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    listing = client.get(reverse("public_plan_list")).content.decode()
    assert f'lang="{language}"' in listing and heading in listing
    page = client.get(reverse("public_plan_detail", args=[PLAN_CODE])).content.decode()
    assert status in page
    assert f"{SENT_TEXT} (1)" in page  # the summary's text stays as sent, in Russian


def test_an_anonymous_visitor_switches_the_language(client, published):
    url = reverse("public_plan_detail", args=[PLAN_CODE])
    response = client.post(reverse("set_language"), {"language": "kk", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert 'lang="kk"' in client.get(url).content.decode()


def test_the_sign_in_page_links_to_the_public_pages(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("public_plan_list")}"' in page


def test_the_public_pages_link_no_page_that_needs_signing_in(client, published):
    import re

    from django.urls import resolve

    page = client.get(reverse("public_plan_detail", args=[PLAN_CODE])).content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', page)) - {"#main"}
    for link in links:
        if link.startswith("/static/"):
            continue
        name = resolve(link).url_name
        # The brand links to the home page, which asks for signing in, as on the sign-in page.
        assert name in {"public_plan_list", "public_plan_detail", "home"}, link
