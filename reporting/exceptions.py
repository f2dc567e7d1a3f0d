from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ReportingError(Exception):
    """An action refused: the message says why, in words for the user. Nothing was changed."""


class PermissionRefused(ReportingError):
    """The user may not do this (a 403)."""


class StateRefused(ReportingError):
    """The report is not in a state that allows this (e.g. submitted twice)."""


class IncompleteReport(ReportingError):
    """Entries lack a status or a narrative; `errors` maps each entry to its problems."""

    def __init__(self, message, errors):
        super().__init__(message)
        self.errors = errors


class EditConflict(ReportingError):
    """Someone saved the entry since the user opened it; `current` is what is stored now."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def refuse_nul(*texts) -> None:
    """A NUL byte is never text: PostgreSQL refuses it and SQLite would keep it. The forms
    refuse it already; services call this for every other caller (commands, the shell)."""
    if any("\x00" in (text or "") for text in texts):
        raise ReportingError(_("Текст содержит недопустимый символ NUL (нулевой байт)."))


def forbid_if_not_allowed(error: ReportingError) -> None:
    """In a view: a refusal for who the user is becomes a 403; any other refusal is shown to the
    user as a message."""
    if isinstance(error, PermissionRefused):
        raise PermissionDenied(str(error))
