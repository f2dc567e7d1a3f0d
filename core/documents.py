"""Documents people upload (supporting documents of reports, protocols, regional plans): which
files are accepted, judged by their content and not only by their name, and how they are stored
and served."""

import contextvars
import struct
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
XLSX_TYPE, DOCX_TYPE = ALLOWED[".xlsx"][1], ALLOWED[".docx"][1]  # for the portal's own files
ZIPPED = {"docx", "xlsx"}  # kinds that are ZIP archives
# The file inputs' `accept`: what the browser offers to choose.
ACCEPT = ",".join(ALLOWED)


# A ZIP archive's end record: signature, disk numbers, member counts, the central directory's
# size and offset, the comment's length. It closes the file, before a comment of at most 64 KB.
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"


def _declared_members(file) -> int | None:
    """How many members the archive's end record declares, read before anything parses the
    central directory (a forged directory of a million entries is itself the attack), or None
    without an end record."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - _END_RECORD.size - 0xFFFF))
    tail = file.read()
    file.seek(0)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    return _END_RECORD.unpack_from(tail, at)[4]


def check_archive(file, *, name: str, max_unpacked: int, max_members: int) -> None:
    """A DOCX or XLSX is a ZIP archive: refuse one that unpacks to more than `max_unpacked`
    bytes or holds more than `max_members` files (a "zip bomb": a few megabytes that fill the
    memory of whatever opens them). Read from the archive's directory, nothing is unpacked; the
    sizes are those it declares, which is all a reader of it (Python's zipfile) unpacks.
    ValidationError naming the file and the limit."""
    declared = _declared_members(file)
    infos: list[zipfile.ZipInfo] = []
    if declared is None or declared <= max_members:
        try:
            with zipfile.ZipFile(file) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            pass  # not an archive: the caller's own check says so
        finally:
            file.seek(0)
    members = max(declared or 0, len(infos))
    if members > max_members:
        raise ValidationError(
            _(
                "Файл «%(name)s»: в архиве слишком много частей (%(count)s; допустимо не больше "
                "%(limit)s). Так бывает с повреждёнными или подделанными файлами."
            )
            % {"name": name, "count": members, "limit": max_members}
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise ValidationError(
            _(
                "Файл «%(name)s» в распакованном виде больше %(limit)s (%(size)s). Так бывает с "
                "повреждёнными или подделанными файлами."
            )
            % {
                "name": name,
                "limit": filesizeformat(max_unpacked),
                "size": filesizeformat(unpacked),
            }
        )


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
    if kind in ZIPPED:  # before the archive's directory is read to tell DOCX from XLSX
        check_archive(
            file,
            name=name,
            max_unpacked=settings.DOCUMENT_MAX_UNPACKED_SIZE,
            max_members=settings.DOCUMENT_MAX_MEMBERS,
        )
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
