from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core.documents import XLSX_TYPE
from core.forms import DocumentsField, long_text_field
from reporting.models import AnnualReport, Indicator, ReportEntry, ReportingCycle, ReviewComment
from reporting.workbooks import check_upload_file

# A figure larger than this is a typing slip (the largest sums are in thousands of tenge).
FIGURE_MAX = 10**15
YES_NO = {"yes": True, "no": False}


def figure_field_name(indicator: Indicator) -> str:
    return f"indicator_{indicator.pk}"


def _figure_field(indicator: Indicator) -> forms.Field:
    required_note = _("Обязателен для представления отчёта.") if indicator.required else ""
    if indicator.is_yes_no:
        return forms.ChoiceField(
            label=indicator.name,
            choices=[("", "—"), ("yes", _("да")), ("no", _("нет"))],
            required=False,
            help_text=required_note,
        )
    unit = _("Единица измерения: %(unit)s.") % {"unit": indicator.unit} if indicator.unit else ""
    return forms.IntegerField(
        label=indicator.label,
        min_value=0,
        max_value=FIGURE_MAX,
        required=False,
        help_text=" ".join(t for t in (str(unit), str(required_note)) if t),
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
        error_messages={"invalid": _("Введите целое неотрицательное число.")},
    )


def figures_initial(figures) -> dict:
    """The form's initial values from (indicator, value) pairs (selectors.entry_figures)."""
    reverse = {True: "yes", False: "no"}
    return {
        figure_field_name(i): (reverse.get(v) if i.is_yes_no else v)
        for i, v in figures
        if v is not None
    }


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

    def __init__(self, *args, indicators=(), **kwargs):
        """`indicators`: the measure's, one field each after the narrative; `cleaned_data`
        then holds `figures` (indicator id → number, True/False, or None) for the service."""
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[figure_field_name(indicator)] = _figure_field(indicator)
        self.order_fields(["status", "narrative", *(figure_field_name(i) for i in self.indicators)])

    def clean(self):
        cleaned = super().clean()
        figures = {}
        for indicator in self.indicators:
            name = figure_field_name(indicator)
            if name not in cleaned:
                continue  # the field's own error is shown
            value = cleaned.pop(name)
            if indicator.is_yes_no:
                value = YES_NO.get(value)
            figures[indicator.pk] = value
        cleaned["figures"] = figures
        return cleaned


class ReviewForm(forms.Form):
    """The review's comment on the whole report and, for a return or a reopening, a remark on
    any of its entries (fields `entry_<id>`). Whether a comment is needed is the service's rule."""

    comment = long_text_field(ReviewComment, "text", rows=4, label=_("Комментарий"), required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        for entry in entries:
            self.fields[f"entry_{entry.pk}"] = long_text_field(
                ReviewComment,
                "text",
                rows=2,
                label=f"{entry.measure.number}. {entry.measure.title[:100]}",
                required=False,
            )

    def entry_fields(self):
        return [field for field in self if field.name.startswith("entry_")]

    def has_entry_remarks(self) -> bool:
        """Whether any remark was typed (or is wrong): its list is then shown open."""
        return any(field.errors or field.value() for field in self.entry_fields())

    @property
    def entry_comments(self) -> dict[int, str]:
        return {
            int(name.removeprefix("entry_")): text
            for name, text in self.cleaned_data.items()
            if name.startswith("entry_") and text.strip()
        }


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


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Заполненный файл отчёта (XLSX)"),
        help_text=_("Файл, скачанный на странице отчёта и заполненный в Excel."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload_file(file)  # size, parts and rows: before openpyxl reads it
        return file
