from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


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
