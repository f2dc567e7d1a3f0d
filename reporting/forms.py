from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core.forms import DocumentsField, long_text_field
from reporting.models import AnnualReport, ReportEntry, ReportingCycle, ReviewComment


class EntryForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Статус исполнения"),
        choices=[("", "—"), *ReportEntry.Status.choices],
        required=False,
    )
    narrative = long_text_field(
        ReportEntry,
        "narrative",
        rows=12,
        label=_("Информация о ходе исполнения"),
        required=False,
        help_text=_("Что сделано за отчётный год: мероприятия, результаты, цифры."),
    )
    documents = DocumentsField(label=_("Подтверждающие документы"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    # Whether the action needs a comment (a return, a reopening) is the service's rule.
    comment = long_text_field(ReviewComment, "text", rows=4, label=_("Комментарий"), required=False)


class VoluntaryEntryForm(forms.Form):
    measure: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Мероприятие"), queryset=None)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.number}. {m.title[:120]}"


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.year)


class ReportFilterForm(forms.Form):
    cycle = CycleChoiceField(
        label=_("Отчётный год"),
        queryset=ReportingCycle.objects.select_related("plan").order_by("-year"),
        required=False,
        empty_label=_("Все"),
    )
    state = forms.ChoiceField(
        label=_("Состояние"), choices=[("", _("Все")), *AnnualReport.State.choices], required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Ведомство"),
        queryset=Agency.objects.order_by("kind", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Все"),
    )
