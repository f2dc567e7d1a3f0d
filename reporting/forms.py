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
