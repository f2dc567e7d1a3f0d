"""The indicators of the 2018–2020 plan, loaded with the plan by its one fixture."""

import pytest
from django.core.management import call_command

from measures.models import Measure
from reporting.models import Indicator
from tests.conftest import PLAN_CODE

pytestmark = pytest.mark.django_db


def test_every_reportable_measure_has_an_indicator():
    measures = Measure.objects.filter(plan__code=PLAN_CODE)
    without = [m.number for m in measures if not m.children.exists() and not m.indicators.exists()]
    assert without == []
    heading = measures.get(number="3")
    assert not heading.indicators.exists()


def test_loading_the_fixture_again_duplicates_no_indicator():
    before = Indicator.objects.count()
    call_command("loaddata", "plan_2018_2020", verbosity=0)
    assert Indicator.objects.count() == before > 29


def test_yes_no_and_not_added_up_indicators_are_marked():
    drafted = Indicator.objects.get(measure__plan__code=PLAN_CODE, measure__number="29")
    assert drafted.kind == Indicator.Kind.YES_NO
    assert drafted.aggregation == Indicator.Aggregation.NONE
    centre = Indicator.objects.get(measure__number="6", code="centre")
    assert centre.is_yes_no and centre.is_added_up
    proceeds = Indicator.objects.get(measure__number="3.5", code="proceeds")
    assert proceeds.kind == Indicator.Kind.SUM and proceeds.unit == "тыс. тенге"
