from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import limited_text

# Years outside this range are typing errors, not plans of the Republic of Kazakhstan.
YEAR_VALIDATORS = [MinValueValidator(1991), MaxValueValidator(2100)]


class PlanManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Plan(models.Model):
    """An action plan approved by a Government resolution."""

    code = models.SlugField(_("код"), max_length=64, unique=True)
    # The plan's texts come from the Resolution, by the admin or an import: a few hundred
    # characters each (the longest measure title has 370); the limits leave room to spare.
    title = limited_text(_("наименование"), max_length=1_000)
    # Shown in the Kazakh and English interfaces when filled (core.templatetags.localized).
    title_kk = limited_text(_("наименование на казахском языке"), max_length=1_000, blank=True)
    title_en = limited_text(_("наименование на английском языке"), max_length=1_000, blank=True)
    resolution_number = models.CharField(_("номер постановления"), max_length=32)
    resolution_date = models.DateField(_("дата постановления"))
    start_year = models.PositiveSmallIntegerField(_("первый год"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("последний год"), validators=YEAR_VALIDATORS)

    objects = PlanManager()

    class Meta:
        verbose_name = _("план")
        verbose_name_plural = _("планы")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)


class SectionManager(models.Manager):
    def get_by_natural_key(self, plan_code, number):
        return self.get(plan__code=plan_code, number=number)


class Section(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("номер"))
    title = limited_text(_("наименование"), max_length=1_000)
    title_kk = limited_text(_("наименование на казахском языке"), max_length=1_000, blank=True)
    title_en = limited_text(_("наименование на английском языке"), max_length=1_000, blank=True)

    objects = SectionManager()

    class Meta:
        verbose_name = _("раздел")
        verbose_name_plural = _("разделы")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (*self.plan.natural_key(), self.number)

    natural_key.dependencies = ["measures.plan"]  # type: ignore[attr-defined]


class MeasureQuerySet(models.QuerySet):
    def reported_in(self, year: int):
        """The measures reported on for `year`: within their reporting years."""
        return self.filter(first_year__lte=year, last_year__gte=year)


_MeasureManagerBase = models.Manager.from_queryset(MeasureQuerySet)


class MeasureManager(_MeasureManagerBase):
    def get_by_natural_key(self, plan_code, number):
        return self.get(plan__code=plan_code, number=number)


class Measure(models.Model):
    """A row of the plan's table. A measure with sub-measures is a heading: nobody reports on it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="measures"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("раздел"), on_delete=models.PROTECT, related_name="measures"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("общее мероприятие"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    number = models.CharField(_("номер"), max_length=16, help_text=_("Например «3.1»."))
    position = models.PositiveIntegerField(_("порядок"))
    title = limited_text(_("мероприятие"), max_length=5_000)
    # The measure in the Kazakh text of the Resolution, where it has been entered; the Kazakh
    # interface shows the Russian text, marked as such, otherwise.
    title_kk = limited_text(_("мероприятие на казахском языке"), max_length=5_000, blank=True)
    completion_form = limited_text(_("форма завершения"), max_length=1_000)
    responsible_text = limited_text(_("ответственные за исполнение"), max_length=2_000, blank=True)
    deadline_text = models.CharField(_("срок исполнения"), max_length=200)
    first_year = models.PositiveSmallIntegerField(
        _("первый отчётный год"), validators=YEAR_VALIDATORS
    )
    last_year = models.PositiveSmallIntegerField(
        _("последний отчётный год"), validators=YEAR_VALIDATORS
    )
    open_to_interested = models.BooleanField(
        _("открыто заинтересованным органам"),
        default=False,
        help_text=_(
            "Исполнители включают «заинтересованные государственные органы» или "
            "«организации»: отчитаться может любое ведомство."
        ),
    )
    reports_commission_meetings = models.BooleanField(
        _("исполняется заседаниями комиссий"),
        default=False,
        help_text=_(
            "Как мероприятие 1: строка годового отчёта показывает заседания комиссии ведомства "
            "за год (Межведомственной или региональной при акимате) и предлагает их для текста."
        ),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("продолжает мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
        help_text=_("То же мероприятие в предыдущем плане."),
    )
    agencies: models.ManyToManyField = models.ManyToManyField(
        "agencies.Agency",
        through="Responsibility",
        verbose_name=_("ответственные ведомства"),
        related_name="measures",
    )

    objects = MeasureManager()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="measure_number_unique"),
            models.UniqueConstraint(fields=["plan", "position"], name="measure_position_unique"),
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="measure_years_ordered"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="measure_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("measure_detail", args=[self.plan.code, self.number])

    def natural_key(self):
        return (*self.plan.natural_key(), self.number)

    natural_key.dependencies = ["measures.plan", "measures.section"]  # type: ignore[attr-defined]

    def clean(self):
        errors = {}
        if self.first_year and self.last_year and self.first_year > self.last_year:
            errors["last_year"] = _("Последний год раньше первого.")
        if self.plan_id:
            plan = self.plan
            for field in ("first_year", "last_year"):
                year = getattr(self, field)
                if year and not plan.start_year <= year <= plan.end_year:
                    errors[field] = _("Год %(year)s вне лет плана (%(start)s–%(end)s).") % {
                        "year": year,
                        "start": plan.start_year,
                        "end": plan.end_year,
                    }
            if self.section_id and self.section.plan_id != self.plan_id:
                errors["section"] = _("Раздел принадлежит другому плану.")
            if self.parent_id and self.parent.plan_id != self.plan_id:
                errors["parent"] = _("Общее мероприятие принадлежит другому плану.")
        if self.parent_id and self.parent.parent_id:
            errors["parent"] = _("Подмероприятие не может иметь своих подмероприятий.")
        if self.predecessor_id and self.plan_id:
            earlier = self.predecessor.plan
            if earlier.pk == self.plan_id or earlier.start_year >= self.plan.start_year:
                errors["predecessor"] = _("Продолжать можно мероприятие предыдущего плана.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self):
        return range(self.first_year, self.last_year + 1)


class ResponsibilityQuerySet(models.QuerySet):
    def in_force(self, year: int):
        """The responsibilities in force in `year`: within the executor's own years and the
        measure's reporting years. `Responsibility.years` is the same rule for a loaded row."""
        return self.filter(
            Q(measure__first_year__lte=year, measure__last_year__gte=year)
            & (Q(first_year__isnull=True) | Q(first_year__lte=year))
            & (Q(last_year__isnull=True) | Q(last_year__gte=year))
        )


_ResponsibilityManagerBase = models.Manager.from_queryset(ResponsibilityQuerySet)


class ResponsibilityManager(_ResponsibilityManagerBase):
    def get_by_natural_key(self, plan_code, measure_number, agency_code):
        return self.get(
            measure__plan__code=plan_code, measure__number=measure_number, agency__code=agency_code
        )


class Responsibility(models.Model):
    """An executor named in a measure's "Ответственные за исполнение" column."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("ведомство"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    position = models.PositiveSmallIntegerField(
        _("порядок в графе"), help_text=_("1 — головной исполнитель.")
    )
    by_agreement = models.BooleanField(_("по согласованию"), default=False)
    first_year = models.PositiveSmallIntegerField(
        _("с года"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Пусто — с первого года мероприятия."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("по год"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Пусто — по последний год мероприятия."),
    )
    is_consolidator = models.BooleanField(_("свод"), default=False)

    objects = ResponsibilityManager()

    class Meta:
        verbose_name = _("ответственный исполнитель")
        verbose_name_plural = _("ответственные исполнители")
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "agency"], name="responsibility_agency_unique"
            ),
            models.UniqueConstraint(
                fields=["measure", "position"], name="responsibility_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(first_year__lte=F("last_year")),
                name="responsibility_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.measure.number}: {self.agency}"

    def natural_key(self):
        return (*self.measure.natural_key(), self.agency.code)

    natural_key.dependencies = ["measures.measure", "agencies.agency"]  # type: ignore[attr-defined]

    def clean(self):
        if not self.measure_id:
            return
        measure = self.measure
        if measure.children.exists():
            raise ValidationError(
                {
                    "measure": _("Мероприятие %(number)s — заголовок: по нему не отчитываются.")
                    % {"number": measure.number}
                }
            )
        first = self.first_year or measure.first_year
        last = self.last_year or measure.last_year
        if first > last:
            raise ValidationError({"last_year": _("Последний год раньше первого.")})
        if last < measure.first_year or first > measure.last_year:
            raise ValidationError(
                _(
                    "Годы %(first)s–%(last)s не пересекаются с годами мероприятия "
                    "%(number)s (%(m_first)s–%(m_last)s)."
                )
                % {
                    "first": first,
                    "last": last,
                    "number": measure.number,
                    "m_first": measure.first_year,
                    "m_last": measure.last_year,
                }
            )

    @property
    def years(self):
        """The years this executor reports for: its own years within the measure's (the rule
        of `Responsibility.objects.in_force`, for a row already loaded)."""
        first = max(self.first_year or self.measure.first_year, self.measure.first_year)
        last = min(self.last_year or self.measure.last_year, self.measure.last_year)
        return range(first, last + 1)
