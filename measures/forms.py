from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class PlanFilterForm(forms.Form):
    """The plan page's filters: an executor and a reporting year, both optional."""

    agency = forms.ModelChoiceField(
        label=_("Исполнитель"),
        queryset=Agency.objects.none(),  # the plan's executors (__init__)
        to_field_name="code",
        required=False,
        empty_label=_("Все исполнители"),
    )
    year = forms.TypedChoiceField(label=_("Год"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The executors of this plan only: other plans' agencies answer for none of its measures.
        self.fields["agency"].queryset = (
            Agency.objects.filter(responsibilities__measure__plan=plan)
            .distinct()
            .order_by("kind", "name")
        )
        self.fields["year"].choices = [("", _("Все годы"))] + [(y, y) for y in plan.years]
