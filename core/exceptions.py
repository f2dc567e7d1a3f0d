"""Refusals: an action someone asked for that the portal will not take. Services raise them and
change nothing; views show the message (core.views.attempt) or answer 403."""

from django.utils.translation import gettext as _


class ActionRefused(Exception):
    """The action was refused; the message says why, in words for the user."""


class PermissionRefused(ActionRefused):
    """The user may not do this (a 403)."""


class StateRefused(ActionRefused):
    """The object is not in a state that allows this (a report submitted twice, a sent summary
    edited)."""


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
