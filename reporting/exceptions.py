"""Refusals of report actions. The general ones are core's (core.exceptions); `ReportingError`
is the name callers outside the portal know for `ActionRefused`."""

from core.exceptions import ActionRefused, EditConflict, PermissionRefused, StateRefused

ReportingError = ActionRefused

__all__ = [
    "ActionRefused",
    "CommentRequired",
    "EditConflict",
    "IncompleteReport",
    "PermissionRefused",
    "ReportingError",
    "StateRefused",
]


class IncompleteReport(ActionRefused):
    """Entries lack a status or a narrative; `errors` maps each entry to its problems."""

    def __init__(self, message, errors):
        super().__init__(message)
        self.errors = errors


class CommentRequired(ActionRefused):
    """A return or a reopening without a comment: the agency must be told what to rework."""
