"""Supporting documents: which files are accepted, judged by their content and not only
their name."""

import unicodedata
import zipfile
from pathlib import PurePath

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


def open_stored(field_file):
    """A stored document opened for download; 404 if its file is gone from the server (a
    restore without the documents folder, a file removed by hand)."""
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Файл документа не найден на сервере.")) from None
