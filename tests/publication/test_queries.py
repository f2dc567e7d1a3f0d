"""Query budgets of the API's lists and the public plan page: the same number of queries after
generating 1 synthetic plan and after 4 (STYLE.md, rule 4)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations import scale
from publication import services
from reporting.models import Summary
from tests.publication.conftest import bearer

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 4
BUDGET = 10
# Every list at its largest page, unfiltered and filtered: with 4 plans every item is on it.
LISTS = {
    "plans": "/api/v1/plans?limit=200",
    "sections": "/api/v1/sections?limit=200",
    "measures": "/api/v1/measures?limit=200",
    "measures of a year": "/api/v1/measures?limit=200&year=2019",
    "measures of a plan, an agency and a year": (
        "/api/v1/measures?limit=200&plan=scale-0001&year=2019&agency={agency}"
    ),
    "cycles": "/api/v1/cycles?limit=200",
    "agencies": "/api/v1/agencies?limit=200",
    "summaries": "/api/v1/summaries?limit=200",
    "summary lines": "/api/v1/summary-lines?limit=200",
    "summary lines of an agency": "/api/v1/summary-lines?limit=200&agency={agency}",
    "a summary with its lines": "/api/v1/summaries/scale-0001/2019",
}
PAGES = {"public plan page": "/public/plans/scale-0001/", "public plan list": "/public/"}


def _counts_at(size, client, raw) -> dict[str, int]:
    if scale.scale_data_exists():
        scale.scale_data_delete()
    scale.scale_data_generate(plans=size)
    # The synthetic summaries are drafts; those of 2019 are sent here.
    Summary.objects.filter(cycle__plan__code__startswith="scale-", cycle__year=2019).update(
        state=Summary.State.SENT, sent_at=timezone.now()
    )
    agency = (
        Summary.objects.get(cycle__plan__code="scale-0001", cycle__year=2019)
        .items.first()
        .measure.responsibilities.first()
        .agency.code
    )
    counts = {}
    for name, url in {**LISTS, **PAGES}.items():
        cache.clear()  # the rate limit: hundreds of requests here
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(agency=agency), **bearer(raw))
        assert response.status_code == 200, (name, response.content[:300])
        counts[name] = len(queries)
    return counts


def test_lists_and_pages_run_a_constant_number_of_queries(client, admin_user):
    _, raw = services.api_token_issue(system="Бенчмарк", user=admin_user)
    small = _counts_at(SMALL, client, raw)
    large = _counts_at(LARGE, client, raw)
    assert large == small
    over = {name: n for name, n in small.items() if n > BUDGET}
    assert not over, f"over the budget of {BUDGET}: {over}"
