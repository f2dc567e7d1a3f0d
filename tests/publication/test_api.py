"""The API: who may read it, what it shows and never shows, its pages, filters, errors, ETag,
rate limit and request log."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from openapi_spec_validator import validate

from measures.models import Measure
from publication.api import api
from publication.models import ApiRequestLog, ApiToken
from reporting.models import Summary
from tests.conftest import PLAN_CODE
from tests.publication.conftest import DRAFT_TEXT, NARRATIVE, SENT_TEXT, bearer
from tests.reporting.conftest import cycle_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


def endpoints():
    """Every endpoint of the API with real arguments."""
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="3.4")
    return {
        "plan_list": "/api/v1/plans",
        "plan_detail": f"/api/v1/plans/{PLAN_CODE}",
        "section_list": "/api/v1/sections",
        "measure_list": "/api/v1/measures",
        "measure_detail": f"/api/v1/measures/{measure.pk}",
        "cycle_list": "/api/v1/cycles",
        "agency_list": "/api/v1/agencies",
        "agency_detail": "/api/v1/agencies/mon",
        "summary_list": "/api/v1/summaries",
        "summary_detail": f"/api/v1/summaries/{PLAN_CODE}/2018",
        "summary_line_list": "/api/v1/summary-lines",
    }


def schema():
    return api.get_openapi_schema(path_prefix="/api/v1")


def test_every_endpoint_is_checked(published):
    paths = set(schema()["paths"])
    assert len(paths) == len(endpoints()) == len(ENDPOINTS)
    assert {url.split("?")[0] for url in endpoints().values()} >= {
        path for path in paths if "{" not in path
    }


def test_the_openapi_schema_is_served_and_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises on an invalid OpenAPI document
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_schema_names_no_private_field():
    fields = {
        name
        for component in schema()["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert {"status", "text", "executors"} <= fields
    text = " ".join(sorted(fields)).lower()
    for word in ("narrative", "attachment", "document", "email", "username", "sent_by",
                 "generated_by", "password", "is_edited", "draft"):  # fmt: skip
        assert word not in text, word


def test_the_docs_page_uses_only_the_portal_s_own_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page  # no CDN
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert client.get(f"/static/ninja/{asset}").status_code == 200, asset


# Who may read


ENDPOINTS = [
    "plan_list", "plan_detail", "section_list", "measure_list", "measure_detail", "cycle_list",
    "agency_list", "agency_detail", "summary_list", "summary_detail", "summary_line_list",
]  # fmt: skip


@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_endpoint_wants_a_valid_token(client, published, token, revoked, name):
    url = endpoints()[name]
    missing = client.get(url)
    assert missing.status_code == 401
    assert missing.json()["error"] == "missing_token"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {token[1]}").status_code == 401
    unknown = client.get(url, **bearer("not-a-token-of-the-portal"))
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_token")
    refused = client.get(url, **bearer(revoked[1]))
    assert (refused.status_code, refused.json()["error"]) == (401, "token_revoked")
    assert "revoked" in refused.json()["message"]
    ok = client.get(url, **bearer(token[1]))
    assert ok.status_code == 200, ok.content
    assert ok["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, token, method):
    before = ApiToken.objects.count()
    response = getattr(client, method)("/api/v1/plans", **bearer(token[1]))
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response["Allow"] == "GET"
    assert ApiToken.objects.count() == before


# What it shows, and never


def everything(client, raw):
    """The text of every answer of every endpoint, each list read to its last item."""
    texts = []
    for url in endpoints().values():
        offset = 0
        while True:
            response = client.get(url, {"limit": 200, "offset": offset}, **bearer(raw))
            assert response.status_code == 200, url
            texts.append(response.content.decode("unicode_escape"))
            body = response.json()
            if "count" not in body or offset + 200 >= body["count"]:
                break
            offset += 200
    draft_year = f"/api/v1/summaries/{PLAN_CODE}/2019"
    texts.append(client.get(draft_year, **bearer(raw)).content.decode("unicode_escape"))
    return "\n".join(texts)


def test_a_draft_summary_a_narrative_and_accounts_are_never_shown(
    client, published, token, mvd_secretariat, mon_officer
):
    shown = everything(client, token[1])
    assert SENT_TEXT in shown
    assert DRAFT_TEXT not in shown
    assert NARRATIVE not in shown
    for private in (mvd_secretariat.username, mon_officer.username, mon_officer.email):
        assert private not in shown


def test_a_draft_summary_is_a_404_and_absent_from_the_lists(client, published, token):
    raw = token[1]
    assert client.get(f"/api/v1/summaries/{PLAN_CODE}/2019", **bearer(raw)).status_code == 404
    summaries = client.get("/api/v1/summaries", **bearer(raw)).json()
    assert [(s["plan"], s["year"]) for s in summaries["items"]] == [(PLAN_CODE, 2018)]
    lines = client.get("/api/v1/summary-lines", {"year": 2019}, **bearer(raw)).json()
    assert lines["count"] == 0


def test_a_sent_summary_shows_its_lines_as_sent(client, published, token):
    body = client.get(f"/api/v1/summaries/{PLAN_CODE}/2018", **bearer(token[1])).json()
    assert body["coordinator"]["code"] == "mvd"
    positions = Measure.objects.in_bulk([line["measure"]["id"] for line in body["lines"]])
    order = [positions[line["measure"]["id"]].position for line in body["lines"]]
    assert order == sorted(order)  # the plan's order
    first = body["lines"][0]
    assert first["measure"]["number"] == "1"
    assert (first["status"], first["status_label"]) == ("done", "Исполнено")
    assert first["text"] == f"{SENT_TEXT} (1)"
    assert len(body["lines"]) == published["sent"].items.count()


def test_a_measure_with_its_executors_and_years(client, token):
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="1")
    body = client.get(f"/api/v1/measures/{measure.pk}", **bearer(token[1])).json()
    assert body["years"] == [2018, 2019, 2020] and not body["is_heading"]
    executors = {e["agency"]["code"]: e for e in body["executors"]}
    assert executors["mvd"]["years"] == [2018, 2019]
    assert executors["mtszn"]["years"] == [2020]  # within the measure's years
    assert executors["mvd"]["position"] == 1 and not executors["mvd"]["by_agreement"]
    heading = Measure.objects.get(plan__code=PLAN_CODE, number="3")
    body = client.get(f"/api/v1/measures/{heading.pk}", **bearer(token[1])).json()
    assert body["is_heading"] and body["executors"] == []
    by_agreement = client.get("/api/v1/measures", {"agency": "gp"}, **bearer(token[1])).json()
    assert by_agreement["count"] > 0
    assert all(
        e["by_agreement"]
        for m in by_agreement["items"]
        for e in m["executors"]
        if e["agency"]["code"] == "gp"
    )


def test_cycles_give_the_calendar(client, token):
    body = client.get("/api/v1/cycles", {"year": 2020}, **bearer(token[1])).json()
    assert body["count"] == 1
    cycle = body["items"][0]
    assert cycle["submission_deadline"] == "2021-01-20"
    assert cycle["summary_deadline"] == "2021-02-10"
    assert cycle["coordinator"]["code"] == "mtszn"


# Pages and filters


def numbers(response):
    return [m["number"] for m in response.json()["items"]]


def test_pages_of_a_list(client, token):
    raw = token[1]
    total = Measure.objects.filter(plan__code=PLAN_CODE).count()
    first = client.get("/api/v1/measures", {"limit": 5}, **bearer(raw)).json()
    assert (first["count"], first["limit"], first["offset"]) == (total, 5, 0)
    assert len(first["items"]) == 5
    second = client.get("/api/v1/measures", {"limit": 5, "offset": 5}, **bearer(raw))
    every = client.get("/api/v1/measures", {"limit": 200}, **bearer(raw))
    assert numbers(every)[5:10] == numbers(second)
    assert len(numbers(every)) == total
    beyond = client.get("/api/v1/measures", {"offset": 1000}, **bearer(raw)).json()
    assert beyond["items"] == [] and beyond["count"] == total


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}, {"year": "2019x"}],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, token, params):
    response = client.get("/api/v1/measures", params, **bearer(token[1]))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_request"
    assert next(iter(params)) in body["message"]


@pytest.mark.parametrize(
    ("url", "params", "named"),
    [
        ("/api/v1/measures", {"plan": "no-such-plan"}, "plan"),
        ("/api/v1/measures", {"agency": "no-such-agency"}, "agency"),
        ("/api/v1/summary-lines", {"measure": 999999}, "measure"),
        ("/api/v1/agencies", {"kind": "embassy"}, "kind"),
    ],
)
def test_an_unknown_filter_value_is_a_400(client, token, url, params, named):
    response = client.get(url, params, **bearer(token[1]))
    assert response.status_code == 400
    assert response.json()["message"].startswith(named)


def test_measures_by_plan_year_and_agency(client, token):
    raw = token[1]

    def measures(**params):
        return numbers(client.get("/api/v1/measures", {"limit": 200, **params}, **bearer(raw)))

    assert "1" in measures(plan=PLAN_CODE, agency="mvd", year=2019)
    assert "1" not in measures(agency="mvd", year=2020)  # measure 1 passed to МТСЗН
    assert "1" in measures(agency="mtszn", year=2020)
    assert "1" in measures(agency="mvd")  # in any year
    expected = Measure.objects.filter(plan__code=PLAN_CODE).reported_in(2020)
    assert sorted(measures(year=2020)) == sorted(m.number for m in expected)


def test_summary_lines_by_year_measure_and_agency(client, published, token, mvd_secretariat):
    from tests.publication.conftest import make_summary

    make_summary(cycle_of(2020), mvd_secretariat, state=Summary.State.SENT, text="Итоги 2020")
    raw = token[1]
    measure = Measure.objects.get(plan__code=PLAN_CODE, number="1")

    def lines(**params):
        body = client.get("/api/v1/summary-lines", {"limit": 200, **params}, **bearer(raw)).json()
        return [(line["year"], line["measure"]["number"]) for line in body["items"]]

    assert lines(measure=measure.pk) == [(2018, "1"), (2020, "1")]
    assert lines(measure=measure.pk, agency="mvd") == [(2018, "1")]
    assert lines(measure=measure.pk, agency="mtszn") == [(2020, "1")]
    assert {year for year, _ in lines(plan=PLAN_CODE)} == {2018, 2020}
    assert {year for year, _ in lines(year=2020)} == {2020}
    summaries = client.get("/api/v1/summaries", {"year": 2020}, **bearer(raw)).json()
    assert [s["year"] for s in summaries["items"]] == [2020]


def test_agencies_by_kind_and_plan(client, token):
    raw = token[1]
    akimats = client.get("/api/v1/agencies", {"kind": "akimat", "limit": 200}, **bearer(raw))
    assert akimats.json()["count"] == 17
    assert {a["kind"] for a in akimats.json()["items"]} == {"akimat"}
    mon = client.get("/api/v1/agencies/mon", **bearer(raw)).json()
    assert mon["abbreviation"] == "МОН" and mon["kind"] == "ministry"
    in_plan = client.get("/api/v1/agencies", {"plan": PLAN_CODE}, **bearer(raw)).json()
    assert in_plan["count"] > 0


def test_what_does_not_exist_is_a_json_404(client, token):
    raw = token[1]
    for url in (
        "/api/v1/plans/no-such-plan",
        "/api/v1/agencies/no-such-agency",
        "/api/v1/measures/999999",
        f"/api/v1/summaries/{PLAN_CODE}/2030",
        "/api/v1/no-such-endpoint",
        "/api/v2/plans",
    ):
        response = client.get(url, **bearer(raw))
        assert response.status_code == 404, url
        assert response.json()["error"] == "not_found", url


# Conditional GET


def test_an_unchanged_answer_is_a_304(client, published, token, mvd_secretariat):
    from tests.publication.conftest import make_summary

    raw = token[1]
    first = client.get("/api/v1/summaries", **bearer(raw))
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    again = client.get("/api/v1/summaries", HTTP_IF_NONE_MATCH=etag, **bearer(raw))
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    make_summary(cycle_of(2020), mvd_secretariat, state=Summary.State.SENT, text="Итоги 2020")
    changed = client.get("/api/v1/summaries", HTTP_IF_NONE_MATCH=etag, **bearer(raw))
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["count"] == 2


def test_an_etag_does_not_let_a_request_without_a_token_through(client, token):
    etag = client.get("/api/v1/plans", **bearer(token[1]))["ETag"]
    response = client.get("/api/v1/plans", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 401


# Rate limit


def test_a_token_over_its_limit_waits(client, token, admin_user, settings):
    from publication import services

    settings.API_RATE_LIMIT = 3
    raw = token[1]
    for _ in range(3):
        assert client.get("/api/v1/plans", **bearer(raw)).status_code == 200
    refused = client.get("/api/v1/plans", **bearer(raw))
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 61
    other = services.api_token_issue(system="Статистика", user=admin_user)[1]
    assert client.get("/api/v1/plans", **bearer(other)).status_code == 200  # per token


def test_the_limit_is_per_minute(client, token, settings):
    import time_machine

    settings.API_RATE_LIMIT = 1
    with time_machine.travel("2026-01-10 10:00:05Z", tick=False):
        assert client.get("/api/v1/plans", **bearer(token[1])).status_code == 200
        assert client.get("/api/v1/plans", **bearer(token[1])).status_code == 429
    with time_machine.travel("2026-01-10 10:01:01Z", tick=False):
        assert client.get("/api/v1/plans", **bearer(token[1])).status_code == 200


# The request log


def test_each_request_is_logged(client, token, revoked):
    row, raw = token
    client.get("/api/v1/measures", {"year": 2019}, REMOTE_ADDR="10.1.2.3", **bearer(raw))
    client.get("/api/v1/plans")
    client.get("/api/v1/plans", **bearer(revoked[1]))
    client.post("/api/v1/plans", **bearer(raw))
    client.get("/api/v1/no-such-endpoint", **bearer(raw))
    logged = list(ApiRequestLog.objects.order_by("pk"))
    assert [(r.token, r.method, r.path, r.status_code) for r in logged] == [
        (row, "GET", "/api/v1/measures?year=2019", 200),
        (None, "GET", "/api/v1/plans", 401),
        (revoked[0], "GET", "/api/v1/plans", 401),
        (None, "POST", "/api/v1/plans", 405),
        (None, "GET", "/api/v1/no-such-endpoint", 404),
    ]
    assert logged[0].ip_address == "10.1.2.3"
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_the_docs_link_from_the_schema_resolves(client):
    assert client.get(reverse("api:openapi-view")).status_code == 200


def test_a_sent_line_carries_its_indicator_totals(client, published, token):
    from reporting.models import Indicator, SummaryIndicatorTotal

    line = published["sent"].items.get(measure__number="2")
    indicator = Indicator.objects.filter(measure=line.measure).order_by("position").first()
    SummaryIndicatorTotal.objects.create(
        item=line, indicator=indicator, total=17, answered=2, expected=3, text="итого 17 (2 из 3)"
    )
    body = client.get(
        "/api/v1/summary-lines", {"year": 2018, "measure": line.measure.pk}, **bearer(token[1])
    ).json()
    [found] = body["items"]
    assert found["indicator_totals"] == [
        {
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "aggregation": indicator.aggregation,
            "total": 17,
            "answered": 2,
            "expected": 3,
            "text": "итого 17 (2 из 3)",
        }
    ]
    # A line without figures says so with an empty list; a draft's totals are never shown.
    other = client.get(f"/api/v1/summaries/{PLAN_CODE}/2018", **bearer(token[1])).json()
    assert all(
        line["indicator_totals"] == []
        for line in other["lines"]
        if line["measure"]["number"] != "2"
    )
