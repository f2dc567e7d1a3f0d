"""Registers the Resolution implies besides the annual reports: the meetings of the
interdepartmental commission (МВК) and of the akimats' regional commissions with their protocol
decisions (measure 1: at least once every half-year), and the akimats' regional plans (clause 2:
approved within a month of the Resolution)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyScopedQuerySet
from core.deadlines import end_of_day
from core.models import StoredDocument, limited_text


class CommissionDocument(StoredDocument):
    """A meeting's protocol or the act approving a regional plan, stored as every document of
    the portal is (core.models.StoredDocument) and downloaded only through a view that checks
    who may read the record it belongs to."""

    # Set by the record it is stored for (its DOCUMENT_FOLDER), before `store`.
    folder = "documents"

    class Meta:
        verbose_name = _("документ комиссии")
        verbose_name_plural = _("документы комиссий")

    def storage_folder(self) -> str:
        return self.folder


class WithDocument(models.Model):
    """A record with one document (a protocol, the approved regional plan)."""

    DOCUMENT_FOLDER = "documents"

    document = models.OneToOneField(
        CommissionDocument,
        verbose_name=_("документ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Recorded(models.Model):
    """Who recorded the row and who changed it last, and when."""

    created_at = models.DateTimeField(_("записано"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("изменил"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def was_changed(self) -> bool:
        """Saved again after it was recorded (the two times of a first save differ by less)."""
        return self.updated_at - self.created_at > datetime.timedelta(seconds=1)


NATIONAL_COMMISSION = _("Межведомственная комиссия")


class MeetingQuerySet(AgencyScopedQuerySet):
    def own_agency(self, agency_id) -> Q:
        """An officer reads the national commission's meetings (its agency is a member) and its
        own akimat's commission's."""
        return Q(agency__isnull=True) | super().own_agency(agency_id)


class CommissionMeeting(WithDocument, Recorded):
    """A meeting of the interdepartmental commission (no agency) or of the regional commission
    at an akimat, with its protocol."""

    DOCUMENT_FOLDER = "protocols"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("акимат"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commission_meetings",
        help_text=_(
            "Акимат, при котором действует региональная комиссия; пусто — заседание "
            "Межведомственной комиссии."
        ),
    )
    held_on = models.DateField(_("дата заседания"))
    protocol_number = models.CharField(_("номер протокола"), max_length=50)
    agenda = limited_text(_("повестка дня"), max_length=10_000)  # the questions, not the minutes

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("заседание комиссии")
        verbose_name_plural = _("заседания комиссий")
        ordering = ["-held_on", "-pk"]
        constraints = [
            # NULL agencies are distinct in a unique index: the national commission has its own.
            models.UniqueConstraint(
                fields=["agency", "held_on", "protocol_number"],
                condition=Q(agency__isnull=False),
                name="regional_meeting_protocol_unique",
            ),
            models.UniqueConstraint(
                fields=["held_on", "protocol_number"],
                condition=Q(agency__isnull=True),
                name="national_meeting_protocol_unique",
            ),
        ]
        indexes = [models.Index(fields=["agency", "held_on"], name="meeting_agency_day_idx")]

    def __str__(self):
        return f"{self.commission_name}: {self.held_on:%d.%m.%Y}, № {self.protocol_number}"

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return self.agency_id is None

    @property
    def commission_name(self) -> str:
        if self.agency is None:
            return str(NATIONAL_COMMISSION)
        return str(_("Региональная комиссия: %(agency)s") % {"agency": self.agency.name})


class ProtocolDecision(Recorded):
    """A decision in a meeting's protocol. A decision of the interdepartmental commission may
    name the agencies responsible for it and a due date; each agency marks its part done."""

    meeting = models.ForeignKey(
        CommissionMeeting,
        verbose_name=_("заседание"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    number = models.CharField(_("пункт протокола"), max_length=20)
    text = limited_text(_("решение"), max_length=10_000)  # one point of the protocol
    due_date = models.DateField(_("срок исполнения"), null=True, blank=True)
    agencies: models.ManyToManyField = models.ManyToManyField(
        "agencies.Agency",
        through="DecisionAssignment",
        verbose_name=_("ответственные ведомства"),
        related_name="protocol_decisions",
    )

    class Meta:
        verbose_name = _("решение протокола")
        verbose_name_plural = _("решения протоколов")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
        ]

    def __str__(self):
        return f"{self.meeting}, п. {self.number}"


class DecisionAssignment(models.Model):
    """One agency's part in a protocol decision: done once the agency says so, with a note."""

    decision = models.ForeignKey(
        ProtocolDecision,
        verbose_name=_("решение"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("ведомство"),
        on_delete=models.PROTECT,
        related_name="decision_assignments",
    )
    completed_at = models.DateTimeField(_("исполнено"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отметил исполнение"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = limited_text(_("что сделано"), max_length=10_000, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("поручение ведомству")
        verbose_name_plural = _("поручения ведомствам")
        ordering = ["decision", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "agency"], name="assignment_unique"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | ~Q(note=""),
                name="assignment_done_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.decision}: {self.agency}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    @property
    def due_closes_at(self):
        """The first instant after the due day ends in Kazakhstan, or None without a due date."""
        due = self.decision.due_date
        return end_of_day(due) if due else None

    @property
    def is_overdue(self) -> bool:
        """Not done, and its due day has ended (Asia/Almaty)."""
        closes = self.due_closes_at
        return not self.is_done and closes is not None and timezone.now() >= closes

    @property
    def was_late(self) -> bool:
        """Done, but after its due day ended."""
        closes = self.due_closes_at
        return self.is_done and closes is not None and self.completed_at >= closes


class RegionalPlan(WithDocument, Recorded):
    """An akimat's regional plan approved under clause 2 of the Resolution."""

    DOCUMENT_FOLDER = "regional-plans"

    plan = models.ForeignKey(
        "measures.Plan",
        verbose_name=_("план"),
        on_delete=models.CASCADE,
        related_name="regional_plans",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("акимат"),
        on_delete=models.PROTECT,
        related_name="regional_plans",
    )
    act = models.CharField(
        _("акт об утверждении"),
        max_length=300,
        help_text=_("Например «Постановление акимата Акмолинской области»."),
    )
    act_number = models.CharField(_("номер акта"), max_length=50)
    approved_on = models.DateField(_("дата утверждения"))

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("региональный план")
        verbose_name_plural = _("региональные планы")
        ordering = ["plan", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="regional_plan_unique"),
        ]

    def __str__(self):
        return f"{self.agency}: {self.act} № {self.act_number} от {self.approved_on:%d.%m.%Y}"
