from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AgencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


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

    objects = AgencyManager()

    class Meta:
        verbose_name = _("ведомство")
        verbose_name_plural = _("ведомства")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.abbreviation or self.name

    def get_absolute_url(self):
        return reverse("agency_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)


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

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        swappable = "AUTH_USER_MODEL"

    @property
    def reads_every_report(self):
        """The secretariat, observers and admins read every agency's reports."""
        return self.is_superuser or self.role in (self.Role.SECRETARIAT, self.Role.OBSERVER)
