from django.apps import apps
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class AgencyScopedQuerySet(models.QuerySet):
    """Rows that belong to an agency (reports, regional plans, decisions addressed to it),
    scoped in one place for every view: all of them for the secretariat, observers and admins;
    an officer's own agency's (`own_agency`); none for anyone else."""

    def for_user(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.reads_every_report:
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(self.own_agency(user.agency_id))

    def own_agency(self, agency_id) -> models.Q:
        """What an officer of `agency_id` may read: its agency's rows, and those of the agencies
        it carries on from (AgencySuccession, two steps back: a ministry split, then renamed).
        Reading only: acting stays with the agency a row belongs to (the permissions)."""
        direct = AgencySuccession.objects.filter(successor_id=agency_id).values("predecessor_id")
        earlier = AgencySuccession.objects.filter(successor_id__in=direct).values("predecessor_id")
        return (
            models.Q(agency_id=agency_id)
            | models.Q(agency_id__in=direct)
            | models.Q(agency_id__in=earlier)
        )


class Agency(models.Model):
    """A body that executes measures of a plan and reports on them."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Министерство")
        STATE_BODY = "state_body", _("Государственный орган")
        AKIMAT = "akimat", _("Акимат")
        ORGANIZATION = "organization", _("Организация")

    code = models.SlugField(_("код"), max_length=64, unique=True)
    abbreviation = models.CharField(
        _("аббревиатура"),
        max_length=32,
        blank=True,
        help_text=_("Как в примечании к Плану, например «МВД»; пусто, если её нет."),
    )
    name = models.CharField(_("полное наименование"), max_length=300)
    # The official Kazakh and English names, shown in those interfaces; the Russian name stays
    # the one of the Resolution, the summary and the audit trail.
    name_kk = models.CharField(_("наименование на казахском языке"), max_length=300, blank=True)
    name_en = models.CharField(_("наименование на английском языке"), max_length=300, blank=True)
    abbreviation_kk = models.CharField(
        _("аббревиатура на казахском языке"), max_length=32, blank=True
    )
    abbreviation_en = models.CharField(
        _("аббревиатура на английском языке"), max_length=32, blank=True
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    by_agreement = models.BooleanField(
        _("по согласованию"),
        default=False,
        help_text=_("Не подчинён Правительству и участвует по согласованию."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("вышестоящий орган"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("действует"), default=True)
    # When the body existed under this name: a renamed, split or merged body is a new agency
    # that succeeds it (AgencySuccession), so reports and registers keep the name of their time.
    active_from = models.DateField(
        _("действует с"), null=True, blank=True, help_text=_("Пусто — с начала учёта.")
    )
    active_until = models.DateField(
        _("действует по"),
        null=True,
        blank=True,
        help_text=_("Последний день под этим наименованием; пусто — действует."),
    )

    objects = AgencyManager()

    class Meta:
        verbose_name = _("ведомство")
        verbose_name_plural = _("ведомства")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_from__isnull=True)
                | models.Q(active_until__isnull=True)
                | models.Q(active_from__lte=models.F("active_until")),
                name="agency_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.abbreviation or self.name

    def get_absolute_url(self):
        return reverse("agency_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    def existed_on(self, day) -> bool:
        """Whether the body existed under this name on `day`."""
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


class AgencySuccession(models.Model):
    """From `on`, `successor` carries on (all or part of) the work of `predecessor`: a ministry
    renamed (one successor), split (several) or merged (several predecessors)."""

    predecessor = models.ForeignKey(
        Agency,
        verbose_name=_("предшественник"),
        on_delete=models.CASCADE,
        related_name="successions",
    )
    successor = models.ForeignKey(
        Agency,
        verbose_name=_("преемник"),
        on_delete=models.CASCADE,
        related_name="succeeded",
    )
    on = models.DateField(_("с даты"))
    basis = models.CharField(
        _("основание"),
        max_length=300,
        blank=True,
        help_text=_("Например «Указ Президента Республики Казахстан от 11 июня 2022 года № 917»."),
    )

    class Meta:
        verbose_name = _("преемство ведомств")
        verbose_name_plural = _("преемство ведомств")
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_pair_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="succession_not_itself",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.on:%d.%m.%Y})"


class User(AbstractUser):
    """A person who signs in: an agency's officer, the secretariat, an observer or an admin."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Исполнитель ведомства")
        SECRETARIAT = "secretariat", _("Секретариат МВК")
        OBSERVER = "observer", _("Наблюдатель")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("ведомство"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Пусто у администраторов."),
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.OFFICER)

    objects: UserManager = UserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        swappable = "AUTH_USER_MODEL"

    @property
    def reads_every_report(self):
        """The secretariat, observers and admins read every agency's reports."""
        return self.is_superuser or self.role in (self.Role.SECRETARIAT, self.Role.OBSERVER)

    @property
    def reads_audit_log(self):
        """Admins and the secretariat search the audit trail; officers and observers do not."""
        return self.is_superuser or self.role == self.Role.SECRETARIAT


class AuditEvent(models.Model):
    """One security-relevant event: a sign-in, a report's or summary's change of state, an export,
    a document's upload, download or deletion, a change of the commissions' registers. Written
    by `agencies.audit.audit_record` in the transaction of the change it records; never changed
    or deleted through the portal."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Вход в систему")
        SIGN_IN_FAILED = "sign_in_failed", _("Неудачная попытка входа")
        SIGN_OUT = "sign_out", _("Выход из системы")
        REPORT_SUBMITTED = "report_submitted", _("Отчёт представлен")
        REPORT_ACCEPTED = "report_accepted", _("Отчёт принят")
        REPORT_RETURNED = "report_returned", _("Отчёт возвращён на доработку")
        REPORT_REOPENED = "report_reopened", _("Отчёт открыт для доработки")
        SUMMARY_GENERATED = "summary_generated", _("Сводная информация сформирована")
        SUMMARY_ITEM_EDITED = "summary_item_edited", _("Строка сводной информации изменена")
        SUMMARY_SENT = "summary_sent", _("Сводная информация отправлена в Правительство")
        SUMMARY_EXPORTED = "summary_exported", _("Сводная информация выгружена")
        ENTRIES_EXPORTED = "entries_exported", _("Строки отчётов выгружены в XLSX")
        DOCUMENT_UPLOADED = "document_uploaded", _("Документ загружен")
        DOCUMENT_DOWNLOADED = "document_downloaded", _("Документ скачан")
        DOCUMENT_DELETED = "document_deleted", _("Документ удалён")
        MEETING_RECORDED = "meeting_recorded", _("Заседание комиссии записано")
        MEETING_CHANGED = "meeting_changed", _("Заседание комиссии изменено")
        MEETING_DELETED = "meeting_deleted", _("Заседание комиссии удалено")
        DECISION_RECORDED = "decision_recorded", _("Решение протокола записано")
        DECISION_CHANGED = "decision_changed", _("Решение протокола изменено")
        DECISION_DELETED = "decision_deleted", _("Решение протокола удалено")
        ASSIGNMENT_COMPLETED = "assignment_completed", _("Поручение отмечено исполненным")
        ASSIGNMENT_REOPENED = "assignment_reopened", _("Отметка об исполнении поручения снята")
        REGIONAL_PLAN_RECORDED = "regional_plan_recorded", _("Региональный план записан")
        REGIONAL_PLAN_CHANGED = "regional_plan_changed", _("Региональный план изменён")
        PLAN_IMPORTED = "plan_imported", _("План загружен из книги Excel")

    created_at = models.DateTimeField(_("время"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        User,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # The name as text too: it outlives the account, and a failed sign-in has no account.
    username = models.CharField(_("имя пользователя"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    action = models.CharField(_("действие"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("тип объекта"), max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField(_("номер объекта"), null=True, blank=True)
    description = models.CharField(_("описание"), max_length=300, blank=True)
    details = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие журнала аудита")
        verbose_name_plural = _("журнал аудита")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at"], name="audit_created_idx"),
            models.Index(fields=["user", "-created_at"], name="audit_user_idx"),
            models.Index(fields=["username", "-created_at"], name="audit_username_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{when:%d.%m.%Y %H:%M:%S} {self.username or '—'}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        # Append-only: a recorded event is evidence, never rewritten.
        if not self._state.adding:
            raise TypeError("An audit event is never changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("An audit event is never deleted.")

    @property
    def object_type_label(self):
        """The recorded object's kind as the interface names it, e.g. «годовой отчёт»."""
        if not self.object_type:
            return ""
        try:
            return apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.object_type
