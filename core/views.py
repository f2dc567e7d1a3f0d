"""What every app's views share: turning a service's refusal into what the user sees, and file
downloads."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from core.exceptions import ActionRefused, Gone, PermissionRefused

STORAGE_FAILURE = _(
    "Документ не удалось сохранить на сервере. Ничего не изменено; попробуйте позже или "
    "сообщите администратору."
)


@dataclass(frozen=True)
class Outcome:
    """What a service call came to: `ok` and its result, or refused (the user has been told);
    `gone` when what it was on has been deleted meanwhile, and the page with it."""

    ok: bool
    result: Any = None
    gone: bool = False


def attempt(request, action, *, form=None, passes=(), storage_failure=STORAGE_FAILURE) -> Outcome:
    """Call the service (`action()`, no arguments). A refusal for who the user is becomes a 403;
    any other refusal is shown, among the form's errors when a form is given, otherwise as a
    message, and so is a file that could not be written (OSError: a full disk, a folder that is
    not writable). Refusals the page shows in its own way (an edit conflict, an incomplete
    report) are in `passes` and raised to the caller. When what the action was on has been
    deleted meanwhile (Gone), the message goes to the next page, never among the form's errors:
    the view leaves the form's page for a list (`Outcome.gone`). The service changed nothing
    when it refused."""
    try:
        return Outcome(True, action())
    except passes:
        raise
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except Gone as refusal:
        messages.error(request, str(refusal))
        return Outcome(False, gone=True)
    except ActionRefused as refusal:
        message = str(refusal)
    except OSError:
        message = str(storage_failure)
    if form is not None:
        form.add_error(None, message)
    else:
        messages.error(request, message)
    return Outcome(False)


def require(check) -> None:
    """A 403 unless `check()` passes: a service's `require_…` rule of who may act, asked by a
    page before it shows a form (the service asks again when the form is sent)."""
    try:
        check()
    except PermissionRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal


def confirmation(request, *, title, consequences, action, back, button, check=None, hidden=None):
    """The page an irreversible action shows before it is done (no script needed): what it
    will do, and a button that posts to `action` (with the `hidden` fields); or, if `check()`
    (the service's own rule) refuses, why it cannot be done, and no button. `check` raising
    PermissionRefused is a 403."""
    refusal = None
    if check is not None:
        try:
            check()
        except PermissionRefused as error:
            raise PermissionDenied(str(error)) from error
        except ActionRefused as error:
            refusal = str(error)
    context = {
        "title": title,
        "consequences": consequences,
        "refusal": refusal,
        "action": action,
        "back": back,
        "button": button,
        "hidden": hidden or {},
    }
    return render(request, "confirm.html", context)


def download(content, *, filename: str, content_type: str) -> HttpResponse | FileResponse:
    """A file to save, made in memory (bytes) or stored (an open file, streamed): Django writes
    the Content-Disposition header, encoding a non-ASCII name as RFC 6266 asks."""
    if isinstance(content, bytes):
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
