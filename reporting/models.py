import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from measures.models import YEAR_VALIDATORS


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` ends in Kazakhstan: a thing is on time if it is before."""
    # zoneinfo, not a fixed offset: Asia/Almaty was UTC+6 until 1 March 2024, UTC+5 since.
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


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

    natural_key.dependencies = ["measures.plan", "agencies.agency"]

    @property
    def submission_closes_at(self) -> datetime.datetime:
        return end_of_day(self.submission_deadline)

    @property
    def summary_closes_at(self) -> datetime.datetime:
        return end_of_day(self.summary_deadline)
