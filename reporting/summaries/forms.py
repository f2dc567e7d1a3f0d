from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core.forms import long_text_field
from reporting.models import AnnualReport, SummaryItem
from reporting.summaries import dashboard


class SummaryItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Статус"), choices=SummaryItem.Status.choices)
    text = long_text_field(
        SummaryItem, "text", rows=16, label=_("Информация о ходе исполнения"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryGenerateForm(forms.Form):
    overwrite = forms.BooleanField(
        label=_("Перезаписать и строки, изменённые вручную"), required=False
    )
    # Set by the confirmation page that lists the lines an overwrite loses.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DashboardFilterForm(forms.Form):
    """Filters of the dashboard's table of agencies (the counts above it stay whole)."""

    state = forms.ChoiceField(
        label=_("Состояние отчёта"),
        choices=[
            ("", _("Все")),
            (dashboard.NOT_STARTED, dashboard.NOT_STARTED_LABEL),
            *AnnualReport.State.choices,
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Вид ведомства"),
        choices=[("", _("Все")), *Agency.Kind.choices],
        required=False,
    )
    late = forms.BooleanField(label=_("Только представленные с опозданием"), required=False)
