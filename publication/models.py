import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The raw token is shown once, when it is issued; only its SHA-256 is stored. A token is 256
# random bits, so a fast hash is enough: there is nothing to guess from a dictionary.
TOKEN_PREFIX_LENGTH = 8


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """The key one consuming system (a dashboard of the Government, statistics, the ombudsman)
    reads the API with. Issued and revoked by an admin (publication.services)."""

    system = models.CharField(
        _("система"),
        max_length=200,
        help_text=_("Какая система читает API с этим ключом, и кто за неё отвечает."),
    )
    prefix = models.CharField(
        _("начало ключа"),
        max_length=TOKEN_PREFIX_LENGTH,
        editable=False,
        help_text=_("Первые символы ключа: по ним ключ узнают, сам ключ не хранится."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("выдал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("выдан"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отозвал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(
        _("последний запрос"), null=True, blank=True, editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("ключ API")
        verbose_name_plural = _("ключи API")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.system} ({self.prefix}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class ApiRequestLog(models.Model):
    """One request to the API, answered or refused: which token (none when it had none or an
    unknown one), when, from where, what it asked and the status it got. Kept apart from the
    people's audit trail (agencies.AuditEvent), which records changes, not reads, and would
    drown in a dashboard's polling."""

    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("ключ API"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    created_at = models.DateTimeField(_("время"), default=timezone.now, editable=False)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    method = models.CharField(_("метод"), max_length=10)
    path = models.CharField(_("адрес"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("код ответа"))

    class Meta:
        verbose_name = _("запрос к API")
        verbose_name_plural = _("журнал запросов к API")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["token", "-created_at"], name="api_request_token_idx"),
            models.Index(fields=["-created_at"], name="api_request_created_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status_code}"
