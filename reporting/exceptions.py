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
