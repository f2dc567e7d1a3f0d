import io
import os
import zipfile

import pytest
from django.urls import reverse

from reporting import services
from reporting.exceptions import ReportingError, StateRefused
from reporting.models import Attachment
from tests.reporting.documents import JPEG, PDF, PNG, office, upload

pytestmark = pytest.mark.django_db


def entry_url(entry):
    return reverse("entry_edit", args=[entry.report_id, entry.pk])


def post_entry(client, entry, documents=(), narrative="Сделано.", status="done"):
    data = {"status": status, "narrative": narrative, "version": entry.version}
    if documents:
        data["documents"] = list(documents)
    return client.post(entry_url(entry), data)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("протокол.pdf", PDF, "application/pdf"),
        (
            "Отчёт.DOCX",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "таблица.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("scan.png", PNG, "image/png"),
    ],
)
def test_accepted_documents(mon_report, mon_officer, name, content, content_type):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload(name, content))
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.pdf", b"just some text, not a PDF", "не соответствует"),
        ("table.xlsx", office("docx"), "не соответствует"),
        ("image.png", PDF, "не соответствует"),
        ("script.exe", b"MZ\x90\x00", "тип не принимается"),
        ("notes.txt", b"text", "тип не принимается"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "не соответствует"),
    ],
)
def test_refused_documents(mon_report, mon_officer, name, content, reason):
    entry = mon_report.entries.first()
    with pytest.raises(ReportingError, match=reason):
        services.attachment_add(entry=entry, user=mon_officer, file=upload(name, content))
    assert not Attachment.objects.exists()


def test_names_are_sanitised_and_files_stored_under_random_names(mon_report, mon_officer, settings):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(
        entry=entry, user=mon_officer, file=upload("../../etc/passwd\x00.pdf", PDF)
    )
    assert attachment.original_name == "passwd.pdf"
    path = attachment.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "passwd" not in path
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_a_text_file_renamed_pdf_is_refused_in_the_form(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    entry = mon_report.entries.first()
    response = post_entry(
        client, entry, [upload("отчёт.pdf", b"plain text pretending")], narrative="Новый текст"
    )
    assert response.status_code == 200
    assert "содержимое не соответствует расширению .pdf" in response.content.decode()
    entry.refresh_from_db()
    assert entry.narrative == "" and not Attachment.objects.exists()


def test_an_oversized_file_is_refused_and_the_draft_is_intact(
    client, mon_report, mon_officer, settings
):
    settings.ATTACHMENT_MAX_SIZE = 1024  # the rule, not 20 MB of test data
    client.force_login(mon_officer)
    entry = mon_report.entries.first()
    services.entry_update(
        entry=entry,
        user=mon_officer,
        status="in_progress",
        narrative="Черновик.",
        version=entry.version,
    )
    entry.refresh_from_db()
    big = upload("big.pdf", PDF + b"0" * 2048)
    response = post_entry(client, entry, [big], narrative="Новый текст, который не потерян")
    assert response.status_code == 200
    content = response.content.decode()
    assert "больше 1,0" in content
    # The typed text is still in the form, and the saved draft is unchanged.
    assert "Новый текст, который не потерян" in content
    entry.refresh_from_db()
    assert (entry.status, entry.narrative) == ("in_progress", "Черновик.")
    assert not Attachment.objects.exists()


def test_the_20_mb_limit(mon_report, mon_officer, settings):
    assert settings.ATTACHMENT_MAX_SIZE == 20 * 1024 * 1024
    entry = mon_report.entries.first()
    exactly = upload("limit.pdf", PDF + b"0" * (20 * 1024 * 1024 - len(PDF)))
    services.attachment_add(entry=entry, user=mon_officer, file=exactly)
    over = upload("over.pdf", PDF + b"0" * (20 * 1024 * 1024 - len(PDF) + 1))
    with pytest.raises(ReportingError, match="больше 20"):
        services.attachment_add(entry=entry, user=mon_officer, file=over)


def test_upload_through_the_form_then_download(client, mon_report, mon_officer):
    client.force_login(mon_officer)
    entry = mon_report.entries.first()
    response = post_entry(client, entry, [upload("протокол.pdf", PDF), upload("фото.png", PNG)])
    assert response.status_code == 302
    attachments = list(entry.attachments.order_by("original_name"))
    assert [a.original_name for a in attachments] == ["протокол.pdf", "фото.png"]
    download = client.get(reverse("attachment_download", args=[attachments[0].pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment;" in download["Content-Disposition"]


def test_who_may_download(
    client, mon_report, mon_officer, akimat_officer, observer, mtszn_secretariat
):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    url = reverse("attachment_download", args=[attachment.pk])
    client.force_login(akimat_officer)
    assert client.get(url).status_code == 404
    for reader in (observer, mtszn_secretariat):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_delete_a_document(
    client, mon_report, mon_officer, akimat_officer, django_capture_on_commit_callbacks
):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    path = attachment.file.path
    client.force_login(akimat_officer)
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 404
    client.force_login(mon_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attachment_delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)


def test_documents_cannot_be_added_to_a_submitted_report(mon_submitted, mon_officer):
    entry = mon_submitted.entries.first()
    with pytest.raises(StateRefused):
        services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_a_full_disk_during_an_upload_keeps_the_draft(
    client, mon_report, mon_officer, settings, monkeypatch
):
    from core.storage import PrivateStorage

    entry = mon_report.entries.first()
    services.entry_update(
        entry=entry,
        user=mon_officer,
        status="in_progress",
        narrative="Черновик.",
        version=entry.version,
    )
    entry.refresh_from_db()
    real_save = PrivateStorage._save
    calls = []

    def save_then_fill_the_disk(self, name, content):
        calls.append(name)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(PrivateStorage, "_save", save_then_fill_the_disk)
    client.force_login(mon_officer)
    response = post_entry(
        client, entry, [upload("a.pdf", PDF), upload("b.pdf", PDF)], narrative="Новый текст"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Документ не удалось сохранить на сервере" in content
    assert "Новый текст" in content  # still in the form
    entry.refresh_from_db()
    assert (entry.status, entry.narrative) == ("in_progress", "Черновик.")
    assert not Attachment.objects.exists()
    # The first file, written before the disk filled up, did not stay behind.
    stored = [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == []


# Zip bombs: a DOCX or XLSX is refused by what it would unpack to, read from its directory


def bomb(kind, *, unpacked):
    """A real-looking DOCX or XLSX with one member of `unpacked` zeros: it compresses about a
    thousand to one, so a few hundred kilobytes claim a hundred megabytes and more."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        with archive.open("media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def many_members(kind, count):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        for n in range(count - 1):
            archive.writestr(f"customXml/item{n}.xml", "")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_document_that_unpacks_to_more_than_100_mb_is_refused(
    client, mon_report, mon_officer, settings, kind
):
    content = bomb(kind, unpacked=101 * 1024 * 1024)
    assert len(content) < 1024 * 1024  # well under the 20 MB a document may weigh
    client.force_login(mon_officer)
    entry = mon_report.entries.first()

    response = post_entry(client, entry, [upload(f"отчёт.{kind}", content)], narrative="Текст")

    assert response.status_code == 200
    assert (
        f"Файл «отчёт.{kind}» в распакованном виде больше 100,0\xa0МБ (101,0\xa0МБ)."
        in response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.narrative == "" and not Attachment.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "reports").exists()


def test_a_document_of_too_many_parts_is_refused(mon_report, mon_officer, settings):
    entry = mon_report.entries.first()
    with pytest.raises(
        ReportingError, match=r"слишком много частей \(2001; допустимо не больше 2000\)"
    ):
        services.attachment_add(
            entry=entry, user=mon_officer, file=upload("a.docx", many_members("docx", 2001))
        )
    assert not Attachment.objects.exists()
    services.attachment_add(
        entry=entry, user=mon_officer, file=upload("b.docx", many_members("docx", 2000))
    )


def test_a_forged_directory_is_refused_before_it_is_read(mon_report, mon_officer):
    """The end record claims 65,535 members: the archive's directory is never parsed."""
    content = bytearray(office("docx"))
    end = content.rfind(b"PK\x05\x06")
    content[end + 8 : end + 12] = b"\xff\xff\xff\xff"  # members on this disk, and in all
    with pytest.raises(ReportingError, match=r"слишком много частей \(65535;"):
        services.attachment_add(
            entry=mon_report.entries.first(),
            user=mon_officer,
            file=upload("f.docx", bytes(content)),
        )


def test_the_unpacked_limit_is_a_setting(mon_report, mon_officer, settings):
    settings.DOCUMENT_MAX_UNPACKED_SIZE = 1024 * 1024
    with pytest.raises(ReportingError, match="в распакованном виде больше 1,0"):
        services.attachment_add(
            entry=mon_report.entries.first(),
            user=mon_officer,
            file=upload("t.xlsx", bomb("xlsx", unpacked=2 * 1024 * 1024)),
        )
