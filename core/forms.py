"""Form fields every app's forms use."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.documents import ACCEPT, ALLOWED_LABEL, check_document

# format_lazy: `%` on a lazy string would translate it once, at import.
DOCUMENT_HELP = format_lazy(_("{types}, не больше 20 МБ."), types=ALLOWED_LABEL)
DOCUMENTS_HELP = format_lazy(_("{types}, не больше 20 МБ каждый."), types=ALLOWED_LABEL)


def _with_limit(help_text, limit: int) -> str:
    note = gettext("Наибольшая длина, знаков: %(limit)s.") % {
        "limit": number_format(limit, force_grouping=True)
    }
    return f"{help_text} {note}" if help_text else note


# Lazy: the number is written in the language of the page, as the rest of the help text.
with_limit = lazy(_with_limit, str)


def long_text_field(model, name: str, *, rows: int, help_text="", **options) -> forms.CharField:
    """A textarea for the text field `name` of `model`, as long as the field allows: the browser
    stops typing there (`maxlength`), the form refuses more, and the help text names the limit,
    which a textarea does not show."""
    limit = model._meta.get_field(name).max_length
    return forms.CharField(
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=with_limit(help_text, limit),
        **options,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")  # what <input type="date"> reads and sends


def _checked(file) -> list[str]:
    """What is wrong with the file as a document (core.documents), in words; [] if nothing."""
    try:
        check_document(file)
    except ValidationError as error:
        return error.messages
    return []


class DocumentField(forms.FileField):
    """One document, checked by its content before anything is saved, so that a wrong file is
    named beside the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", DOCUMENT_HELP)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial and (errors := _checked(file)):
            raise ValidationError(errors)
        return file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several documents in one field (Django's documented recipe), each checked as
    DocumentField checks one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", DOCUMENTS_HELP)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            files = [single_clean(item, initial) for item in data]
        else:
            files = [single_clean(data, initial)] if data else []
        if errors := [message for file in files for message in _checked(file)]:
            raise ValidationError(errors)
        return files
