"""Which executors are in force in a year: one rule, `Responsibility.objects.in_force(year)` in
the database and `Responsibility.years` for a row already loaded; they must agree."""

import pytest

from measures.models import Responsibility
from tests.factories import MeasureFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


def test_the_query_and_the_property_agree_on_every_executor_of_the_plan(plan):
    responsibilities = list(
        Responsibility.objects.filter(measure__plan=plan).select_related("measure")
    )
    for year in range(plan.start_year - 1, plan.end_year + 2):
        in_force = set(
            Responsibility.objects.in_force(year)
            .filter(measure__plan=plan)
            .values_list("pk", flat=True)
        )
        assert in_force == {r.pk for r in responsibilities if year in r.years}, year


def test_measure_1_changes_hands_in_2020(plan):
    def executors(year):
        return set(
            Responsibility.objects.in_force(year)
            .filter(measure__plan=plan, measure__number="1", agency__kind="ministry")
            .values_list("agency__code", flat=True)
        )

    assert executors(2019) == {"mvd"}
    assert executors(2020) == {"mtszn"}


def test_an_executors_own_years_stay_within_the_measures():
    measure = MeasureFactory(first_year=2019, last_year=2020)
    responsibility = ResponsibilityFactory(measure=measure, first_year=2018, last_year=None)
    assert list(responsibility.years) == [2019, 2020]
    assert not Responsibility.objects.in_force(2018).filter(pk=responsibility.pk).exists()
    assert Responsibility.objects.in_force(2020).filter(pk=responsibility.pk).exists()
