from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class TwoFactorCodeForm(forms.Form):
    """The code asked for after the password: from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Код"),
        max_length=32,
        help_text=_("6 цифр из приложения-аутентификатора или один из кодов восстановления."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class EnrolmentForm(forms.Form):
    """The first code from a newly added authenticator app, which confirms it."""

    code = forms.CharField(
        label=_("Код из приложения"),
        max_length=16,
        help_text=_("6 цифр, которые приложение показывает для портала."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"},
        ),
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the username's length checked. The stock form only sets the
    input's maxlength, so an overlong name went on to authentication and to django-axes, whose
    record of the failure holds 255 characters: PostgreSQL refused it, a 500 page."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class AgencyAdminForm(forms.ModelForm):
    """The admin's agency form. The name of a body that has reported is not rewritten: its
    reports and registers keep the name it had then, and a renamed body is a new agency that
    succeeds it (the inline below the form)."""

    class Meta:
        model = Agency
        fields = [
            "code",
            "abbreviation",
            "name",
            "kind",
            "by_agreement",
            "parent",
            "is_active",
            "active_from",
            "active_until",
        ]

    def clean_name(self):
        name = self.cleaned_data["name"]
        agency = self.instance
        if agency.pk and name != Agency.objects.get(pk=agency.pk).name and agency.reports.exists():
            raise forms.ValidationError(
                _(
                    "У ведомства есть отчёты: они должны сохранить наименование своего времени. "
                    "Переименованное ведомство заведите новым и укажите его преемником этого "
                    "(«Преемники»), с датой."
                )
            )
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and start > end:
            self.add_error("active_until", _("Последний день раньше первого."))
        return data
