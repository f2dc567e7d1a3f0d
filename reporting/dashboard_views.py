from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from reporting import dashboard
from reporting.models import AnnualReport, ReportingCycle


class DashboardFilterForm(forms.Form):
    """Filters of the dashboard's table of agencies (the counts above it stay whole)."""

    state = forms.ChoiceField(
        label=gettext_lazy("Состояние отчёта"),
        choices=[
            ("", gettext_lazy("Все")),
            (dashboard.NOT_STARTED, dashboard.NOT_STARTED_LABEL),
            *AnnualReport.State.choices,
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Вид ведомства"),
        choices=[("", gettext_lazy("Все")), *Agency.Kind.choices],
        required=False,
    )
    late = forms.BooleanField(
        label=gettext_lazy("Только представленные с опозданием"), required=False
    )


@login_required
def cycle_dashboard(request, cycle_pk):
    """A cycle's completeness, timeliness, agencies and measures at a glance: for the
    secretariat, observers and admins."""
    cycle = get_object_or_404(
        ReportingCycle.objects.select_related("plan", "coordinator", "summary"), pk=cycle_pk
    )
    if not request.user.reads_every_report:
        raise PermissionDenied(_("Сводку по отчётному периоду видят секретариат и наблюдатели."))
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    board = dashboard.cycle_dashboard(cycle=cycle)
    context = {
        "cycle": cycle,
        "board": board,
        "form": form,
        "rows": dashboard.filter_rows(board.rows, **filters),
        "is_filtered": any(filters.values()),
        "report_list_url": f"{reverse('report_list')}?cycle={cycle.pk}",
    }
    return render(request, "reporting/dashboard.html", context)
