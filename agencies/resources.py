"""Import and export of agencies, and what the plan's resources share.

Files name rows and related objects by natural keys (codes, numbers), never by database ids.
An import writes every row of the file or none of them.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import F
from django.utils.formats import sanitize_separators
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from import_export import resources, results, widgets
from import_export.fields import Field

from agencies.models import Agency
from agencies.spreadsheets import is_formula


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related object named by its natural key; an unknown key is a readable row error.

    `not_found` is a message formatted with the cell's `value` and the row's columns.
    """

    def __init__(self, model, field, not_found):
        super().__init__(model, field)
        self.not_found = not_found

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValueError):
            # ValueError: a key of the wrong type, e.g. section "II" where a number is expected.
            raise ValueError(self.not_found % {**(row or {}), "value": value}) from None


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer, or a row error: the stock widget reads "2018.7" as 2018 and fails on "abc"."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(sanitize_separators(str(value).strip()))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("«%(value)s» — не целое число.") % {"value": value})
        return int(number)


class StrictBooleanWidget(widgets.BooleanWidget):
    """1/0 or true/false, or a row error: the stock widget reads "да" as false."""

    def clean(self, value, row=None, **kwargs):
        if value not in (*self.TRUE_VALUES, *self.FALSE_VALUES, *self.NULL_VALUES):
            raise ValueError(_("«%(value)s» — ожидается 1 или 0.") % {"value": value})
        return super().clean(value, row, **kwargs)


class PlainTextWidget(widgets.CharWidget):
    """Text, never a spreadsheet formula: a cell beginning with "=", "+", "-" or "@" (after any
    spaces), a tab or a carriage return is a row error (agencies.spreadsheets.is_formula).
    Nothing of the plan begins so, and a spreadsheet that opened an export of it would run it
    (exports write such cells as text all the same)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if is_formula(text):
            raise ValueError(
                _(
                    "«%(value)s»: текст начинается со знака, с которого начинается формула "
                    "электронной таблицы (=, +, -, @, табуляция, возврат каретки). Уберите его."
                )
                % {"value": Truncator(text.strip()).chars(60)}
            )
        return text


class FileError(ValueError):
    """A fault of the file as a whole, such as a missing column."""


class ImportErrorResult(results.Error):
    @property
    def traceback(self):
        # The admin prints a traceback under every error; under a fault of the file it is noise.
        return "" if isinstance(self.error, FileError) else super().traceback


class NaturalKeyResource(resources.ModelResource):
    """A resource whose import runs the models' validation and writes all rows or none."""

    # An empty cell of a text column is "", as Django stores blank text, not None.
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}
    STRICT_WIDGETS = {
        widgets.CharWidget: PlainTextWidget,
        widgets.IntegerWidget: WholeNumberWidget,
        widgets.BooleanWidget: StrictBooleanWidget,
    }

    class Meta:
        clean_model_instances = True
        use_transactions = True
        # Re-importing an exported file shows its rows as skipped and writes nothing.
        skip_unchanged = True

    @classmethod
    def get_error_result_class(cls):
        return ImportErrorResult

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        widget = super().widget_from_django_field(f, default)
        return cls.STRICT_WIDGETS.get(widget, widget)

    def import_data(self, dataset, **kwargs):
        # By default import-export writes the valid rows of a file that has invalid ones.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def required_columns(self):
        """The columns that identify a row, and those of model fields that cannot be blank."""
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        for field in self.get_import_fields():
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if not (model_field.blank or model_field.has_default()):
                columns.append(field.column_name)
        return list(dict.fromkeys(columns))

    def before_import(self, dataset, **kwargs):
        headers = dataset.headers or []
        missing = [column for column in self.required_columns() if column not in headers]
        if missing:
            raise FileError(
                _("В файле нет обязательных столбцов: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        # A NUL byte is never text: PostgreSQL refuses it in every text column, SQLite would
        # store it. The whole file is refused, naming the first cell that has one.
        for number, row in enumerate(dataset, start=1):
            for column, value in zip(headers, row, strict=False):
                if isinstance(value, str) and "\x00" in value:
                    raise FileError(
                        _(
                            "Строка %(row)s, столбец «%(column)s»: недопустимый символ NUL "
                            "(нулевой байт). Проверьте кодировку файла."
                        )
                        % {"row": number, "column": column}
                    )

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown key: import_instance() reports it against its column with the
            # row's other errors.
            return None


def agency_by_code():
    return NaturalKeyWidget(Agency, "code", _('Ведомство с кодом "%(value)s" не найдено.'))


class AgencyResource(NaturalKeyResource):
    parent = Field(attribute="parent", widget=agency_by_code())

    class Meta:
        model = Agency
        import_id_fields = ("code",)
        fields = (
            "code",
            "abbreviation",
            "name",
            "kind",
            "by_agreement",
            "parent",
            "is_active",
            "name_kk",
            "name_en",
            "abbreviation_kk",
            "abbreviation_en",
        )

    def filter_export(self, queryset, **kwargs):
        # Parents first, so that the file can be imported into an empty database.
        return queryset.select_related("parent").order_by(
            F("parent_id").asc(nulls_first=True), "kind", "name"
        )
