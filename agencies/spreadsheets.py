"""The admin's spreadsheets (every import and export, of agencies and of the plan): their formats,
which never write a cell a spreadsheet would run as a formula, and the limits an uploaded file is
checked against before anything parses it.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it only strips a
leading "=" (the text changes; "+", "-", "@" are left) and turns every cell into text."""

import csv
import io
import re
import zipfile

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from import_export.formats import base_formats
from import_export.forms import ImportForm
from openpyxl.utils.exceptions import InvalidFileException

from core.documents import check_archive, clean_filename

# Characters XML 1.0 cannot hold: openpyxl and python-docx refuse them (an export would fail). A
# vertical tab is what Word leaves for a line break in pasted text.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` as a spreadsheet or a document can hold it: line breaks as "\\n", the characters
    XML cannot hold removed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_IN_XML.sub("", text)


# What Excel and LibreOffice read as the start of a formula in a cell of text (OWASP, "CSV
# injection"), also after spaces or line breaks; a leading tab or carriage return is refused in
# any case, as it hides what follows from the eye.
FORMULA_START = ("=", "+", "-", "@")


def is_formula(value) -> bool:
    return isinstance(value, str) and (
        value.startswith(("\t", "\r")) or value.lstrip().startswith(FORMULA_START)
    )


class TextCellsCSV(base_formats.CSV):
    """CSV in which a cell that would start a formula begins with an apostrophe, which
    spreadsheets read as "what follows is text"."""

    def export_data(self, dataset, **kwargs):
        for index, row in enumerate(dataset):
            if any(is_formula(value) for value in row):
                dataset[index] = [f"'{value}" if is_formula(value) else value for value in row]
        return super().export_data(dataset, **kwargs)


class TextCellsXLSX(base_formats.XLSX):
    """XLSX in which a cell that would start a formula is a cell of text, shown as typed (and
    kept as text if edited): openpyxl writes any string beginning with "=" as a formula."""

    def export_data(self, dataset, **kwargs):
        book = openpyxl.load_workbook(io.BytesIO(super().export_data(dataset, **kwargs)))
        for row in book.active.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


SPREADSHEET_FORMATS = [TextCellsCSV, TextCellsXLSX]
# django-import-export writes numbers, dates and booleans as such (not as text) only in the
# formats of this list, which it compares by exact class (`type(format) in BINARY_FORMATS`).
base_formats.BINARY_FORMATS.append(TextCellsXLSX)


def _limits_help() -> str:
    return gettext("CSV или XLSX: не больше %(size)s и %(rows)s строк с данными.") % {
        "size": filesizeformat(settings.IMPORT_MAX_SIZE),
        "rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
    }


def _data_rows(file, fmt) -> int:
    """The rows after the header, counted as the file is read and no further than one past the
    limit: a file of millions of rows is never held in memory to count it."""
    limit = settings.IMPORT_MAX_ROWS
    if fmt.is_binary():  # XLSX: the first sheet, as django-import-export reads it
        book = openpyxl.load_workbook(file, read_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            count = sum(1 for _ in zip(rows, range(limit + 2), strict=False))
        finally:
            book.close()
    else:  # CSV, line by line (a quoted cell may span lines: the csv module joins them)
        lines = (line.decode("utf-8-sig", errors="replace") for line in file)
        try:
            count = sum(1 for _ in zip(csv.reader(lines), range(limit + 2), strict=False))
        except csv.Error:
            count = 0  # not CSV the csv module can read: the import itself says so
    file.seek(0)
    return max(count - 1, 0)


def check_import_file(file, fmt) -> None:
    """Refuse a file to import that is larger than IMPORT_MAX_SIZE (an XLSX also when unpacked:
    what is parsed is its XML) or has more than IMPORT_MAX_ROWS rows, before the import parses
    it whole: ValidationError naming the file and the limit."""
    name = clean_filename(file.name or "")
    limit = settings.IMPORT_MAX_SIZE
    if file.size > limit:
        raise ValidationError(
            gettext("Файл «%(name)s» больше %(limit)s (%(size)s).")
            % {"name": name, "limit": filesizeformat(limit), "size": filesizeformat(file.size)}
        )
    if fmt.is_binary():
        check_archive(
            file, name=name, max_unpacked=limit, max_members=settings.DOCUMENT_MAX_MEMBERS
        )
    try:
        rows = _data_rows(file, fmt)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        file.seek(0)
        return  # not a workbook: the import's own reading of it names the fault
    if rows > settings.IMPORT_MAX_ROWS:
        raise ValidationError(
            gettext(
                "Файл «%(name)s»: слишком много строк (за один импорт — не больше %(limit)s). "
                "Разделите файл на части."
            )
            % {"name": name, "limit": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)}
        )


class LimitedImportForm(ImportForm):
    """The admin's import form, which checks the file's size and rows (check_import_file)
    before django-import-export reads it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["import_file"].help_text = lazy(_limits_help, str)()

    def clean(self):
        cleaned = super().clean()
        file, chosen = cleaned.get("import_file"), cleaned.get("format")
        if file and chosen not in (None, ""):
            try:
                check_import_file(file, self.formats[int(chosen)]())
            except ValidationError as error:
                self.add_error("import_file", error)
        return cleaned
