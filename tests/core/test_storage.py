"""Documents on a storage the app servers share: a folder by default, an S3-compatible bucket
through django-storages when configured; private either way, served only through the portal."""

import os
import subprocess
import sys

import boto3
import pytest
from django.conf import settings
from django.urls import reverse
from moto import mock_aws
from storages.backends.s3 import S3Storage

from reporting import services
from reporting.models import Attachment
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db
BUCKET = "plan-portal-documents"


def configured(**env):
    """What the settings make of the environment, in a fresh process."""
    environment = {**os.environ, "SECRET_KEY": "x", "DEBUG": "0", **env}
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['private']; print(type(s).__module__, type(s).__name__); "
        "print(getattr(s, 'default_acl', ''), getattr(s, 'location', ''))"
    )
    return subprocess.run(  # noqa: S603 (the portal's own settings, in a fresh Python)
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "plan_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_folder_by_default():
    result = configured()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "core.storage PrivateStorage"


def test_an_s3_bucket_when_configured():
    result = configured(PRIVATE_STORAGE="s3", S3_BUCKET=BUCKET, S3_ENDPOINT_URL="http://s3.local")
    assert result.returncode == 0, result.stderr
    kind, acl_and_prefix = result.stdout.splitlines()
    assert kind == "storages.backends.s3 S3Storage"
    assert acl_and_prefix == "private private"


def test_an_unknown_storage_is_a_clear_start_up_error():
    result = configured(PRIVATE_STORAGE="ftp")
    assert result.returncode != 0
    assert "PRIVATE_STORAGE is 'ftp'" in result.stderr


@pytest.fixture
def bucket(monkeypatch):
    """Attachments stored in an S3 bucket (moto's, in process), as PRIVATE_STORAGE=s3 does."""
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        storage = S3Storage(
            bucket_name=BUCKET,
            region_name="us-east-1",
            access_key="test",
            secret_key="test",
            location="private",
            default_acl="private",
            file_overwrite=False,
        )
        monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
        yield boto3.client("s3", region_name="us-east-1")


def test_documents_go_to_the_bucket_privately_and_come_back_through_the_portal(
    client, bucket, mon_report, mon_officer
):
    entry = mon_report.entries.first()
    attachment = services.attachment_add(entry=entry, user=mon_officer, file=upload("a.pdf", PDF))
    key = f"private/{attachment.file.name}"
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)

    client.force_login(mon_officer)
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_refused_change_leaves_nothing_in_the_bucket(bucket, mon_report, mon_officer):
    entry = mon_report.entries.first()
    with pytest.raises(services.ActionRefused):
        services.entry_save(
            entry=entry,
            user=mon_officer,
            status="done",
            narrative="Текст.",
            version=entry.version,
            # The second is refused after the first has been written to the bucket.
            documents=[upload("a.pdf", PDF), upload("b.pdf", b"not a PDF")],
        )
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
    assert not Attachment.objects.exists()
