"""Refusals: an action someone asked for that the portal will not take. Services raise them and
change nothing; views show the message (core.views.attempt) or answer 403."""

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class ActionRefused(Exception):
    """The action was refused; the message says why, in words for the user."""


class PermissionRefused(ActionRefused):
    """The user may not do this (a 403)."""


class StateRefused(ActionRefused):
    """The object is not in a state that allows this (a report submitted twice, a sent summary
    edited)."""


class Gone(ActionRefused):
    """What the action was on has been deleted meanwhile (a colleague's request a moment
    before): the page it was asked from no longer exists, so views take the user to the list."""


class EditConflict(ActionRefused):
    """Someone saved the row since the user opened it; `current` is what is stored now."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def refuse_nul(*texts) -> None:
    """A NUL byte is never text: PostgreSQL refuses it and SQLite would keep it. The forms
    refuse it already; services call this for every other caller (commands, the shell)."""
    if any("\x00" in (text or "") for text in texts):
        raise ActionRefused(_("Текст содержит недопустимый символ NUL (нулевой байт)."))


def refuse_too_long(model, **texts) -> None:
    """Each text no longer than its field of `model` allows (`max_length`), or a refusal naming
    the field and its limit. Forms refuse it already (and say so beside the field); services
    call this for every other caller, before the model's own check, whose message names no
    field."""
    for name, text in texts.items():
        field = model._meta.get_field(name)
        if text and len(text) > field.max_length:
            raise ActionRefused(
                _(
                    "«%(field)s»: текст слишком длинный (знаков: %(length)s; допустимо не "
                    "больше %(limit)s)."
                )
                % {
                    "field": capfirst(field.verbose_name),
                    "length": number_format(len(text), force_grouping=True),
                    "limit": number_format(field.max_length, force_grouping=True),
                }
            )
