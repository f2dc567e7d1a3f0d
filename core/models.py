"""Abstract models every app builds on: a stored document, a row people edit."""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.documents import (
    check_document,
    clean_filename,
    document_path,
    open_stored,
    remember_written,
)
from core.exceptions import ActionRefused
from core.storage import private_storage


def limited_text(verbose_name, *, max_length: int, **options) -> models.TextField:
    """A text people type, at most `max_length` characters: the form's textarea stops there and
    full_clean refuses more (Django's TextField only hands max_length to the form). Not a
    database constraint: a longer text stored before the limit stays readable."""
    return models.TextField(
        verbose_name,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **options,
    )


def changed_by(instance: models.Model, user) -> None:
    """Name `user` in the history of the change about to be saved (django-simple-history reads
    it from the instance; outside a request it would otherwise record nobody)."""
    instance._history_user = user  # type: ignore[attr-defined]


class StoredDocument(models.Model):
    """A document someone uploaded: the file under a random name in private storage, and what
    the user called it, its type (read from the content) and size. Subclasses say which folder
    (`storage_folder`)."""

    file = models.FileField(_("файл"), upload_to=document_path, storage=private_storage)
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(_("тип"), max_length=100)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    uploaded_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def storage_folder(self) -> str:
        return "documents"

    def store(self, upload) -> None:
        """Check the uploaded file and write it (the row is not saved). ActionRefused naming the
        file and what is wrong with it, and nothing written, if it is not an accepted document.
        Call it inside `core.documents.files_removed_on_failure()`, so that a failure later in
        the change removes the file."""
        try:
            content_type = check_document(upload)
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages)) from error
        self.original_name = clean_filename(upload.name)
        self.content_type = content_type
        self.size = upload.size
        self.file.save(self.original_name, upload, save=False)
        remember_written(self.file)

    def open_for_download(self):
        """The stored file, open; 404 if it is gone from the server (core.documents.open_stored)."""
        return open_stored(self.file)

    def delete_file_on_commit(self) -> None:
        """The stored file goes once the transaction that deleted (or replaced) the row commits;
        a rollback keeps it."""
        if self.file.name:
            transaction.on_commit(partial(self.file.storage.delete, self.file.name))


class EditedByPeople(models.Model):
    """A row people edit in the portal: who saved it last, when, and its version. A save based on
    an older version is refused, never overwrites (core.services.claim_version)."""

    version = models.PositiveIntegerField(_("версия"), default=1)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("изменил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class OutgoingMail(models.Model):
    """A message to one person, written in the transaction of the change it announces (a
    rolled-back change leaves none) and delivered by the task worker (core.mail), retried with
    a growing delay up to settings.MAIL_MAX_ATTEMPTS. What keeps failing stays here, visible to
    admins, who can send it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        SENT = "sent", _("Отправлено")
        FAILED = "failed", _("Не доставлено")

    to = models.EmailField(_("кому"))
    subject = models.CharField(_("тема"), max_length=300)
    body = models.TextField(_("текст"))
    from_email = models.CharField(_("от кого"), max_length=254)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    created_at = models.DateTimeField(_("поставлено в очередь"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), null=True, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("письмо")
        verbose_name_plural = _("почта: очередь писем")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="mail_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="mail_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
