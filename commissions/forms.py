from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from commissions import selectors
from commissions.models import CommissionMeeting, ProtocolDecision
from core.forms import DOCUMENT_HELP, DateInput, DocumentField, long_text_field
from measures.models import Plan


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Дата заседания"), widget=DateInput())
    protocol_number = forms.CharField(label=_("Номер протокола"), max_length=50)
    agenda = long_text_field(
        CommissionMeeting,
        "agenda",
        rows=5,
        label=_("Повестка дня"),
        help_text=_("Вопросы, рассмотренные на заседании."),
    )
    document = DocumentField(
        label=_("Протокол заседания"),
        required=False,
    )


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=_("Пункт протокола"), max_length=20, help_text=_("Например «1» или «2.3».")
    )
    text = long_text_field(ProtocolDecision, "text", rows=4, label=_("Решение"))
    due_date = forms.DateField(label=_("Срок исполнения"), required=False, widget=DateInput())
    agencies = forms.ModelMultipleChoiceField(
        label=_("Ответственные ведомства"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Каждое ведомство отметит исполнение своей части поручения."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.is_national:
            self.fields["agencies"].queryset = Agency.objects.filter(is_active=True).order_by(
                "kind", "name"
            )
        else:  # a regional commission's decisions address no agency of the portal
            del self.fields["due_date"], self.fields["agencies"]


class RegionalPlanForm(forms.Form):
    act = forms.CharField(
        label=_("Акт об утверждении"),
        max_length=300,
        help_text=_("Например «Постановление акимата Акмолинской области»."),
    )
    act_number = forms.CharField(label=_("Номер акта"), max_length=50)
    approved_on = forms.DateField(label=_("Дата утверждения"), widget=DateInput())
    document = DocumentField(label=_("Утверждённый региональный план"))

    @staticmethod
    def initial_from(current) -> dict:
        if current is None:
            return {}
        return {
            "act": current.act,
            "act_number": current.act_number,
            "approved_on": current.approved_on,
        }

    def __init__(self, *args, has_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_document:  # a new file replaces the stored one; none keeps it
            self.fields["document"].required = False
            self.fields["document"].help_text = format_lazy(
                "{} {}", DOCUMENT_HELP, _("Без нового файла останется загруженный.")
            )


class MeetingFilterForm(forms.Form):
    commission = forms.ChoiceField(label=_("Комиссия"), required=False)
    year = forms.TypedChoiceField(label=_("Год"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, akimats, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].choices = [
            ("", _("Все")),
            (selectors.NATIONAL, _("Межведомственная комиссия")),
            *[(a.code, a.name) for a in akimats],
        ]
        self.fields["year"].choices = [("", _("Все")), *[(y, y) for y in years]]


class AssignmentFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Исполнение"),
        choices=[
            ("", _("Все")),
            (selectors.OVERDUE, _("Просрочено")),
            (selectors.OPEN, _("Не исполнено")),
            (selectors.DONE, _("Исполнено")),
            (selectors.DONE_LATE, _("Исполнено с опозданием")),
        ],
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("Ведомство"),
        queryset=Agency.objects.filter(decision_assignments__isnull=False)
        .distinct()
        .order_by("kind", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Все"),
    )


class PlanChoiceForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("План"),
        queryset=Plan.objects.order_by("-resolution_date", "code"),
        to_field_name="code",
        required=False,
        empty_label=None,
    )
