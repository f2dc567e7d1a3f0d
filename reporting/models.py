import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import AgencyScopedQuerySet
from core.deadlines import end_of_day
from core.models import EditedByPeople, StoredDocument, limited_text
from core.storage import private_storage
from measures.models import YEAR_VALIDATORS


class ReportingCycleManager(models.Manager):
    def get_by_natural_key(self, plan_code, year):
        return self.get(plan__code=plan_code, year=year)


class ReportingCycle(models.Model):
    """One year of reporting on a plan (clauses 3–4 of the Resolution)."""

    plan = models.ForeignKey(
        "measures.Plan",
        verbose_name=_("план"),
        on_delete=models.CASCADE,
        related_name="cycles",
    )
    year = models.PositiveSmallIntegerField(_("отчётный год"), validators=YEAR_VALIDATORS)
    submission_deadline = models.DateField(
        _("срок представления отчётов"), help_text=_("Обычно 20 января следующего года.")
    )
    summary_deadline = models.DateField(
        _("срок сводной информации"), help_text=_("Обычно 10 февраля следующего года.")
    )
    coordinator = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("координатор"),
        on_delete=models.PROTECT,
        related_name="coordinated_cycles",
    )
    # The agencies expected to report, fixed when the summary is first generated, so that an
    # agency added to the plan later does not change an old cycle's completeness.
    expected_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("ожидаемые ведомства"),
        blank=True,
        related_name="+",
    )
    expected_fixed_at = models.DateTimeField(
        _("состав ожидаемых зафиксирован"), null=True, blank=True
    )

    objects = ReportingCycleManager()

    class Meta:
        verbose_name = _("отчётный период")
        verbose_name_plural = _("отчётные периоды")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="cycle_year_unique"),
            models.CheckConstraint(
                condition=Q(submission_deadline__lte=F("summary_deadline")),
                name="cycle_deadlines_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.plan.code}: {self.year}"

    def natural_key(self):
        return (*self.plan.natural_key(), self.year)

    natural_key.dependencies = ["measures.plan", "agencies.agency"]  # type: ignore[attr-defined]

    @property
    def has_summary(self) -> bool:
        try:
            self.summary  # noqa: B018 (the reverse one-to-one raises when there is none)
        except ObjectDoesNotExist:
            return False
        return True

    @property
    def summary_sent(self) -> bool:
        """Whether the cycle's summary has gone to the Government (its reports are then locked)."""
        return self.has_summary and self.summary.is_sent

    @property
    def submission_closes_at(self) -> datetime.datetime:
        return end_of_day(self.submission_deadline)

    @property
    def summary_closes_at(self) -> datetime.datetime:
        return end_of_day(self.summary_deadline)


class AnnualReportQuerySet(AgencyScopedQuerySet):
    def counted(self):
        """The reports in the coordinator's hands: submitted or accepted. Only these count in the
        summary, as "presented" on the dashboard and as done for the reminders."""
        return self.filter(state__in=AnnualReport.COUNTED_STATES)


class AnnualReport(models.Model):
    """An agency's report on its measures for one reporting cycle."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SUBMITTED = "submitted", _("Представлен")
        RETURNED = "returned", _("Возвращён на доработку")
        ACCEPTED = "accepted", _("Принят")

    COUNTED_STATES = (State.SUBMITTED, State.ACCEPTED)

    cycle = models.ForeignKey(
        ReportingCycle,
        verbose_name=_("отчётный период"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("ведомство"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    state = models.CharField(
        _("состояние"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    first_submitted_at = models.DateTimeField(
        _("впервые представлен"),
        null=True,
        blank=True,
        help_text=_("Своевременность отчёта считается по первому представлению."),
    )
    submitted_at = models.DateTimeField(_("представлен"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("представил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("рассмотрен"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(
        _("с опозданием"),
        default=False,
        help_text=_("Впервые представлен после окончания дня срока (по времени Астаны)."),
    )
    reopened_after_summary = models.BooleanField(
        _("открыт после отправки сводной информации"),
        default=False,
        help_text=_("Сводная информация отправлена, но секретариат открыл отчёт для доработки."),
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    history = HistoricalRecords()
    # The reports `user` may read: `AnnualReport.objects.for_user(user)`.
    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("годовой отчёт")
        verbose_name_plural = _("годовые отчёты")
        ordering = ["-cycle__year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="report_agency_unique"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.agency} — {self.cycle.year}"

    def get_absolute_url(self):
        return reverse("report_detail", args=[self.pk])

    @property
    def is_locked(self):
        """Locked once the cycle's summary is sent, unless the secretariat reopened it since."""
        return self.cycle.summary_sent and not self.reopened_after_summary

    @property
    def is_editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED) and not self.is_locked

    @property
    def is_counted(self):
        return self.state in self.COUNTED_STATES


class ReportEntry(EditedByPeople):
    """What an agency did on one measure in the year reported on."""

    class Status(models.TextChoices):
        DONE = "done", _("Исполнено")
        IN_PROGRESS = "in_progress", _("Исполняется")
        PARTIAL = "partial", _("Частично исполнено")
        NOT_DONE = "not_done", _("Не исполнено")

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("отчёт"), on_delete=models.CASCADE, related_name="entries"
    )
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("мероприятие"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, blank=True)
    # About fifteen pages; it still fits one cell of the analysts' XLSX (Excel holds 32,767).
    narrative = limited_text(_("информация о ходе исполнения"), max_length=30_000, blank=True)
    is_voluntary = models.BooleanField(
        _("по собственной инициативе"),
        default=False,
        help_text=_("Мероприятие открыто заинтересованным органам; ведомство не названо в нём."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("строка отчёта")
        verbose_name_plural = _("строки отчёта")
        ordering = ["report", "measure__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="entry_measure_unique"),
        ]

    def __str__(self):
        return f"{self.report}: {self.measure.number}"

    def get_absolute_url(self):
        return reverse("entry_edit", args=[self.report_id, self.pk])


class Attachment(StoredDocument):
    """A supporting document of an entry, stored outside any public folder."""

    entry = models.ForeignKey(
        ReportEntry,
        verbose_name=_("строка отчёта"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # Added and removed documents appear in the report's journal.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ["entry", "uploaded_at", "pk"]

    def get_absolute_url(self):
        return reverse("attachment_download", args=[self.pk])

    def storage_folder(self) -> str:
        return f"reports/{self.entry.report_id}"


class ReviewComment(models.Model):
    """A comment of the review: why a report was returned or reopened, or a note."""

    class Kind(models.TextChoices):
        RETURN = "return", _("Возврат на доработку")
        REOPEN = "reopen", _("Повторное открытие")
        ACCEPT = "accept", _("Принятие")

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("отчёт"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    # A remark on one entry, shown where the officer edits it; empty for the report as a whole.
    entry = models.ForeignKey(
        ReportEntry,
        verbose_name=_("мероприятие отчёта"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    # What to rework and why: a page or two.
    text = limited_text(_("комментарий"), max_length=5_000, blank=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("комментарий рассмотрения")
        verbose_name_plural = _("комментарии рассмотрения")
        ordering = ["report", "created_at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.get_kind_display()}"


class Summary(models.Model):
    """The coordinator's consolidated information on the plan's execution for one cycle, sent to
    the Government by 10 February."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SENT = "sent", _("Отправлена")

    cycle = models.OneToOneField(
        ReportingCycle,
        verbose_name=_("отчётный период"),
        on_delete=models.PROTECT,
        related_name="summary",
    )
    state = models.CharField(
        _("состояние"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    generated_at = models.DateTimeField(_("сформирована"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("сформировал"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отправил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(
        _("с опозданием"),
        default=False,
        help_text=_("Отправлена после окончания дня срока (10 февраля) по времени Астаны."),
    )
    is_outdated = models.BooleanField(
        _("устарела"),
        default=False,
        help_text=_("После отправки секретариат открыл отчёт ведомства для доработки."),
    )
    # The files exactly as sent: a sent summary never changes.
    sent_xlsx = models.FileField(_("XLSX как отправлен"), storage=private_storage, blank=True)
    sent_docx = models.FileField(_("DOCX как отправлен"), storage=private_storage, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("сводная информация")
        verbose_name_plural = _("сводная информация")
        ordering = ["-cycle__year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(sent_at__isnull=False),
                name="summary_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.cycle}"

    def get_absolute_url(self):
        return reverse("summary_detail", args=[self.cycle_id])

    @property
    def is_sent(self):
        return self.state == self.State.SENT


class SummaryItem(EditedByPeople):
    """The summary's line for one measure reportable in the cycle's year."""

    class Status(models.TextChoices):
        DONE = "done", _("Исполнено")
        IN_PROGRESS = "in_progress", _("Исполняется")
        PARTIAL = "partial", _("Частично исполнено")
        NOT_DONE = "not_done", _("Не исполнено")
        NO_INFORMATION = "no_information", _("Нет информации")
        INSUFFICIENT = "insufficient", _("Информации недостаточно")

    summary = models.ForeignKey(
        Summary,
        verbose_name=_("сводная информация"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("мероприятие"),
        on_delete=models.PROTECT,
        related_name="summary_items",
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices)
    # Composed from every executor's narrative on the measure, so longer than one narrative;
    # a longer composed line is kept as generated, and the secretariat shortens it to edit it.
    text = limited_text(_("информация о ходе исполнения"), max_length=100_000, blank=True)
    is_edited = models.BooleanField(
        _("изменена вручную"),
        default=False,
        help_text=_("Повторное формирование не перезаписывает её, если не попросить."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("строка сводной информации")
        verbose_name_plural = _("строки сводной информации")
        ordering = ["summary", "measure__position"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "measure"], name="summary_item_unique"),
        ]

    def __str__(self):
        return f"{self.summary}: {self.measure.number}"


class Reminder(models.Model):
    """A reminder mail sent: running the reminders twice on one day sends nothing twice."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Срок представления отчёта")
        SUMMARY = "summary", _("Срок сводной информации")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "recipient", "days_before"], name="reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} {self.kind} −{self.days_before}: {self.recipient}"


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, plan_code, measure_number, code):
        return self.get(measure__plan__code=plan_code, measure__number=measure_number, code=code)


class Indicator(models.Model):
    """A figure a measure asks every executor for: a count, a sum (in a unit), or a yes/no.
    Ours, not the Resolution's: the Resolution names completion forms, not figures."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Количество")
        SUM = "sum", _("Сумма")
        YES_NO = "yes_no", _("Да или нет")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Складывается по ведомствам")
        NONE = "none", _("Не складывается: по каждому ведомству")

    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.SlugField(_("код"), max_length=40)
    position = models.PositiveSmallIntegerField(_("порядок"), default=1)
    name = models.CharField(_("показатель"), max_length=300)
    unit = models.CharField(_("единица измерения"), max_length=50, blank=True)
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    aggregation = models.CharField(
        _("сведение"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_(
            "Складывать ли значения ведомств в сводной информации. Ответы «да/нет» при "
            "сложении считаются: «да» у скольких из ответивших."
        ),
    )
    required = models.BooleanField(
        _("обязательный"),
        default=False,
        help_text=_("Без значения обязательного показателя отчёт не представить."),
    )

    objects = IndicatorManager()

    class Meta:
        verbose_name = _("показатель")
        verbose_name_plural = _("показатели")
        ordering = ["measure__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "code"], name="indicator_code_unique"),
        ]

    def __str__(self):
        return f"{self.measure.number}: {self.name}"

    def natural_key(self):
        return (*self.measure.natural_key(), self.code)

    natural_key.dependencies = ["measures.measure"]  # type: ignore[attr-defined]

    @property
    def is_yes_no(self) -> bool:
        return self.kind == self.Kind.YES_NO

    @property
    def is_added_up(self) -> bool:
        return self.aggregation == self.Aggregation.SUM

    @property
    def label(self) -> str:
        """The name with its unit, as a column or a field says it."""
        return f"{self.name}, {self.unit}" if self.unit else self.name


class IndicatorValue(models.Model):
    """An agency's figure for one indicator in one entry: a non-negative whole number, or yes/no.
    No row means no value given."""

    entry = models.ForeignKey(
        ReportEntry,
        verbose_name=_("строка отчёта"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показатель"), on_delete=models.PROTECT, related_name="values"
    )
    number = models.PositiveBigIntegerField(_("значение"), null=True, blank=True)
    flag = models.BooleanField(_("да или нет"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("значение показателя")
        verbose_name_plural = _("значения показателей")
        ordering = ["entry", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "indicator"], name="indicator_value_unique"),
            models.CheckConstraint(
                condition=Q(number__isnull=True, flag__isnull=False)
                | Q(number__isnull=False, flag__isnull=True),
                name="indicator_value_one_kind",
            ),
        ]

    def __str__(self):
        return f"{self.entry}: {self.indicator.code} = {self.display}"

    @property
    def value(self) -> int | bool | None:
        return figure_value(self)

    @property
    def display(self) -> str:
        return display_value(self.value)


def figure_value(row) -> int | bool | None:
    """The figure an IndicatorValue (or one of its historical records) holds."""
    return row.flag if row.number is None else row.number


def display_value(value) -> str:
    """A figure as a page or a file shows it: «да»/«нет», a number with thin spaces, or «—»."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("да") if value else _("нет"))
    return f"{value:,}".replace(",", "\u00a0")


class SummaryIndicatorTotal(models.Model):
    """An indicator's total on one line of the summary, computed from the counted reports when
    the summary is generated (reporting.summaries.indicators says how)."""

    item = models.ForeignKey(
        SummaryItem,
        verbose_name=_("строка сводной информации"),
        on_delete=models.CASCADE,
        related_name="indicator_totals",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("показатель"), on_delete=models.CASCADE, related_name="+"
    )
    # The sum of the numbers, or how many answered "yes"; null when not added up.
    total = models.PositiveBigIntegerField(_("итого"), null=True, blank=True)
    answered = models.PositiveIntegerField(_("дали значение"), default=0)
    expected = models.PositiveIntegerField(_("исполнителей"), default=0)
    # Agencies' labels, comma-separated; by_agency, for an indicator not added up: "МВД: 3; МОН: 5".
    missing = models.TextField(_("не дали значения"), blank=True)
    by_agency = models.TextField(_("по ведомствам"), blank=True)
    # The line as the summary says it, in Russian: «Выявлено преступлений: 45 (…)».
    text = models.TextField(_("итог словами"), blank=True)

    class Meta:
        verbose_name = _("итог показателя")
        verbose_name_plural = _("итоги показателей")
        ordering = ["item", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "indicator"], name="summary_total_unique"),
        ]

    def __str__(self):
        return f"{self.item}: {self.indicator.code}"
