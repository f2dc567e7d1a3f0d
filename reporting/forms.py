from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reporting.documents import ALLOWED_LABEL, check_document
from reporting.models import AnnualReport, ReportEntry, ReportingCycle, SummaryItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class EntryForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Статус исполнения"),
        choices=[("", "—"), *ReportEntry.Status.choices],
        required=False,
    )
    narrative = forms.CharField(
        label=_("Информация о ходе исполнения"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_("Что сделано за отчётный год: мероприятия, результаты, цифры."),
    )
    documents = MultipleFileField(
        label=_("Подтверждающие документы"),
        required=False,
        # format_lazy: `%` on a lazy string would translate it once, at import.
        help_text=format_lazy(_("{types}, не больше 20 МБ каждый."), types=ALLOWED_LABEL),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_documents(self):
        files = self.cleaned_data["documents"]
        errors = []
        for file in files:
            try:
                check_document(file)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required


class VoluntaryEntryForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Мероприятие"), queryset=None)

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


class SummaryItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Статус"), choices=SummaryItem.Status.choices)
    text = forms.CharField(
        label=_("Информация о ходе исполнения"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryGenerateForm(forms.Form):
    overwrite = forms.BooleanField(
        label=_("Перезаписать и строки, изменённые вручную"), required=False
    )
