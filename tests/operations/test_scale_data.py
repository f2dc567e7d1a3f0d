import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from agencies.models import Agency, User
from measures.models import Measure, Plan, Responsibility
from reporting.models import AnnualReport, ReportEntry, ReportingCycle, Summary, SummaryItem
from tests.conftest import PLAN_CODE

pytestmark = pytest.mark.django_db


def generate(*args):
    call_command("generate_scale_data", "--plans", "2", *args, stdout=None)


def test_it_builds_plans_shaped_like_the_resolution(capsys):
    generate()
    assert "measures 72" in capsys.readouterr().out
    plans = Plan.objects.filter(code__startswith="scale-")
    assert sorted(plans.values_list("code", flat=True)) == ["scale-0001", "scale-0002"]
    template = Plan.objects.get(code=PLAN_CODE)
    for plan in plans:
        assert plan.sections.count() == 7
        assert plan.measures.count() == template.measures.count() == 36
        heading = plan.measures.get(number="3")
        assert sorted(heading.children.values_list("number", flat=True)) == [
            f"3.{i}" for i in range(1, 8)
        ]
        assert not heading.responsibilities.exists()
        assert plan.measures.get(number="29").first_year == 2020
        assert sorted(plan.cycles.values_list("year", flat=True)) == [2018, 2019, 2020]
        executors = Agency.objects.filter(responsibilities__measure__plan=plan).distinct()
        assert executors.count() == 35
        assert executors.filter(kind=Agency.Kind.AKIMAT).count() == 17


def test_it_fills_reports_in_every_state_and_entries_in_every_status():
    generate()
    synthetic = Agency.objects.filter(code__startswith="scale-")
    assert synthetic.count() == 200
    assert 25 <= synthetic.filter(kind=Agency.Kind.AKIMAT).count() <= 45
    reports = AnnualReport.objects.filter(cycle__plan__code__startswith="scale-")
    assert set(reports.values_list("state", flat=True)) == set(AnnualReport.State.values)
    assert reports.filter(is_late=True).exists() and reports.filter(is_late=False).exists()
    entries = ReportEntry.objects.filter(report__in=reports)
    assert set(entries.values_list("status", flat=True)) == {"", *ReportEntry.Status.values}
    assert entries.filter(is_voluntary=True).exists()
    # Every entry is on a measure its agency answers for, or one open to interested bodies.
    named = entries.filter(is_voluntary=False)
    assert (
        named.count() == named.filter(measure__responsibilities__agency=F("report__agency")).count()
    )
    summary = Summary.objects.get(cycle__plan__code="scale-0001")
    assert summary.cycle.year == 2019
    assert SummaryItem.objects.filter(summary=summary).count() == 33
    assert summary.cycle.expected_agencies.count() == 35


def test_it_refuses_to_run_twice_and_replaces_on_request():
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    generate("--replace", "--seed", "7")
    assert Plan.objects.filter(code__startswith="scale-").count() == 2
    assert Agency.objects.filter(code__startswith="scale-").count() == 200
    assert ReportingCycle.objects.filter(plan__code__startswith="scale-").count() == 6
    # The fixture plan is untouched.
    assert Measure.objects.filter(plan__code=PLAN_CODE).count() == 36
    assert Responsibility.objects.filter(measure__plan__code=PLAN_CODE).count() == 275


def test_one_plan_puts_every_copy_into_a_single_plan():
    generate("--one-plan")
    plan = Plan.objects.get(code__startswith="scale-")
    assert plan.measures.count() == 72
    assert plan.sections.count() == 14
    assert list(
        plan.measures.get(number="2.3")
        .children.order_by("position")
        .values_list("number", flat=True)
    ) == [f"2.3.{i}" for i in range(1, 8)]
    assert plan.cycles.get(year=2019).summary.items.count() == 66


def test_replace_lets_go_of_people_attached_to_synthetic_agencies():
    """A benchmark's or tester's account on a synthetic agency used to make --replace fail
    (the agency is protected by its users); the account stays, detached and disabled."""
    generate()
    tester = User.objects.create_user(
        username="load.tester", agency=Agency.objects.filter(code__startswith="scale-").first()
    )
    generate("--replace")
    tester.refresh_from_db()
    assert tester.agency is None and not tester.is_active
    assert Agency.objects.filter(code__startswith="scale-").count() == 200


def test_it_copies_the_indicators_and_fills_figures():
    from operations import scale
    from reporting.models import Indicator, IndicatorValue, SummaryIndicatorTotal

    counts = scale.scale_data_generate(plans=1)
    plan = Plan.objects.get(code="scale-0001")
    assert counts.indicators == Indicator.objects.filter(measure__plan=plan).count()
    assert counts.indicators == Indicator.objects.filter(measure__plan__code=PLAN_CODE).count()
    values = IndicatorValue.objects.filter(entry__report__cycle__plan=plan)
    assert values.count() == counts.indicator_values > 0
    assert not values.filter(entry__status="").exists()  # unfilled entries have no figures
    assert not values.filter(indicator__kind="yes_no", flag__isnull=True).exists()
    assert SummaryIndicatorTotal.objects.filter(item__summary__cycle__plan=plan).exists()
    scale.scale_data_delete()
    assert not IndicatorValue.objects.filter(entry__report__cycle__plan__code="scale-0001")
