"""Documents people upload (supporting documents of reports, protocols, regional plans): which
files are accepted, judged by their content and not only by their name, and how they are stored
and served."""

import contextvars
import unicodedata
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (kind, MIME type)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPEG, PNG"
# The file inputs' `accept`: what the browser offers to choose.
ACCEPT = ",".join(ALLOWED)


def _sniff(file) -> str | None:
    """The kind of document the bytes are, or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def clean_filename(name: str) -> str:
    """The user's file name without any folder, control characters or excess length."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name) > 150:
        name = f"{stem[: 149 - len(suffix)]}.{suffix}"
    return name[:150] or "document"


def check_document(file) -> str:
    """Validate an uploaded file; return its MIME type. Raises ValidationError naming the file
    and what is wrong with it."""
    name = clean_filename(file.name or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            _("Файл «%(name)s»: такой тип не принимается. Допустимы %(allowed)s.")
            % {"name": name, "allowed": ALLOWED_LABEL}
        )
    if file.size > settings.ATTACHMENT_MAX_SIZE:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)s (%(size)s).")
            % {
                "name": name,
                "limit": filesizeformat(settings.ATTACHMENT_MAX_SIZE),
                "size": filesizeformat(file.size),
            }
        )
    kind, content_type = ALLOWED[suffix]
    if _sniff(file) != kind:
        raise ValidationError(
            _("Файл «%(name)s»: содержимое не соответствует расширению %(suffix)s.")
            % {"name": name, "suffix": suffix}
        )
    return content_type


def document_path(instance, filename) -> str:
    """A random stored name in the document's folder; the user's file name is kept in
    `original_name` only."""
    return f"{instance.storage_folder()}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def open_stored(field_file):
    """A stored document opened for download; 404 if its file is gone from the server (a
    restore without the documents folder, a file removed by hand)."""
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Файл документа не найден на сервере.")) from None


# Files written during a change that fails are removed with the rows that named them.

_written: contextvars.ContextVar[tuple[list, ...]] = contextvars.ContextVar("written", default=())


@contextmanager
def files_removed_on_failure():
    """Files stored inside the block (`StoredDocument.store`, `remember_written`) are deleted if
    the block raises: the transaction that would have referred to them is rolled back. Put it
    outside the block's `transaction.atomic()`. A block inside another one (a service called
    within a larger change) reports its files to the outer one as well, which deletes them if
    it fails later."""
    written: list = []
    token = _written.set((*_written.get(), written))
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written.reset(token)


def remember_written(field_file) -> None:
    """A file just written, to delete if an enclosing `files_removed_on_failure` block fails."""
    for written in _written.get():
        written.append((field_file.storage, field_file.name))
