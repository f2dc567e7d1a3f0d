from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core import pages
from measures import selectors
from measures.forms import PlanFilterForm
from measures.models import Measure, Plan


@login_required
def plan_list(request):
    return render(request, "measures/plan_list.html", {"plans": selectors.plan_list()})


@login_required
def plan_detail(request, code):
    plan = get_object_or_404(Plan, code=code)
    form = PlanFilterForm(request.GET or None, plan=plan)
    filters = form.cleaned_data if form.is_valid() else {}
    sections = selectors.plan_table(
        plan=plan, agency=filters.get("agency"), year=filters.get("year")
    )
    context = {
        "plan": plan,
        "form": form,
        "sections": sections,
        "filtered": any(filters.values()),
        "measure_count": sum(1 for row in sections for m in row.measures if not m.is_heading),
    }
    return render(request, "measures/plan_detail.html", context)


@login_required
def measure_detail(request, code, number):
    plan = get_object_or_404(Plan, code=code)
    try:
        measure = selectors.measure_detail(plan=plan, number=number)
    except Measure.DoesNotExist:
        raise Http404 from None
    context = {
        "plan": plan,
        "measure": measure,
        # The years of the summary come from reporting (core.pages).
        **pages.page_context("measure", user=request.user, measure=measure),
    }
    return render(request, "measures/measure_detail.html", context)
