# The protocols and the regional plans' documents become rows of CommissionDocument, stored as
# every document of the portal is (core.models.StoredDocument). The files stay where they are:
# only the rows describing them move.

import core.documents
import core.storage
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RECORDS = ("CommissionMeeting", "RegionalPlan")


def documents_to_rows(apps, schema_editor):
    Document = apps.get_model("commissions", "CommissionDocument")
    for name in RECORDS:
        for record in apps.get_model("commissions", name).objects.exclude(document=""):
            document = Document.objects.create(
                file=record.document.name,
                original_name=record.document_name or "document",
                content_type=record.document_type,
                size=record.document_size or 0,
                uploaded_by_id=record.updated_by_id,
            )
            # auto_now_add stamped the migration's time; the upload was the record's last save.
            Document.objects.filter(pk=document.pk).update(uploaded_at=record.updated_at)
            record.new_document = document
            record.save(update_fields=["new_document"])


def rows_to_documents(apps, schema_editor):
    for name in RECORDS:
        for record in apps.get_model("commissions", name).objects.exclude(new_document=None):
            document = record.new_document
            record.document = document.file.name
            record.document_name = document.original_name
            record.document_type = document.content_type
            record.document_size = document.size
            record.save(
                update_fields=["document", "document_name", "document_type", "document_size"]
            )


def document_field():
    return models.OneToOneField(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to="commissions.commissiondocument",
        verbose_name="документ",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CommissionDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=core.storage.PrivateStorage(),
                        upload_to=core.documents.document_path,
                        verbose_name="файл",
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="имя файла")),
                ("content_type", models.CharField(max_length=100, verbose_name="тип")),
                ("size", models.PositiveBigIntegerField(verbose_name="размер, байт")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="загружен")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="загрузил",
                    ),
                ),
            ],
            options={
                "verbose_name": "документ комиссии",
                "verbose_name_plural": "документы комиссий",
            },
        ),
        migrations.AddField("commissionmeeting", "new_document", document_field()),
        migrations.AddField("regionalplan", "new_document", document_field()),
        migrations.RunPython(documents_to_rows, rows_to_documents),
        *[
            migrations.RemoveField(model, field)
            for model in ("commissionmeeting", "regionalplan")
            for field in ("document", "document_name", "document_type", "document_size")
        ],
        migrations.RenameField("commissionmeeting", "new_document", "document"),
        migrations.RenameField("regionalplan", "new_document", "document"),
    ]
