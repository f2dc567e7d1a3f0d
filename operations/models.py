from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """A daily job handed to the task worker on a day (operations.scheduler): the unique key
    makes it once a day, however many schedulers run (one on each app server)."""

    job = models.CharField(_("задание"), max_length=50)
    day = models.DateField(_("день"))
    enqueued_at = models.DateTimeField(_("поставлено в очередь"), auto_now_add=True)

    class Meta:
        verbose_name = _("запуск по расписанию")
        verbose_name_plural = _("запуски по расписанию")
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day"),
        ]

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"
