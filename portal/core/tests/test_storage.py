"""Uploaded files on S3-compatible storage (``MEDIA_S3_BUCKET``), against an in-process
S3 stand-in: documents are stored in the bucket, downloads go to a signed address, files
a browser would run are stored as downloads, and a backup says where the files are."""

import io
import json
import tarfile
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from moto import mock_aws
from wagtail.documents import get_document_model

from portal.core.backup import backup_create

pytestmark = pytest.mark.django_db

BUCKET = "seoulsolution-media"
OPTIONS = {
    "bucket_name": BUCKET,
    "region_name": "ap-northeast-2",
    "access_key": "test-key",
    "secret_key": "test-secret",
    "location": "media",
    "custom_domain": None,
    "querystring_auth": True,
    "querystring_expire": 3600,
}


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client(
            "s3",
            region_name=OPTIONS["region_name"],
            aws_access_key_id="test-key",
            aws_secret_access_key="test-secret",
        )
        s3.create_bucket(
            Bucket=BUCKET,
            CreateBucketConfiguration={"LocationConstraint": OPTIONS["region_name"]},
        )
        settings.MEDIA_S3_BUCKET = BUCKET
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "portal.core.storage.MediaStorage", "OPTIONS": OPTIONS},
        }
        yield s3


def test_a_document_is_stored_in_the_bucket_and_downloaded_from_a_signed_address(
    bucket, client, tree
):
    document = get_document_model().objects.create(
        title="Arisu", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    key = f"media/{document.file.name}"
    stored = bucket.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == b"%PDF-1.4\n%%EOF\n"
    assert stored["ContentType"] == "application/pdf"

    response = client.get(document.url)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert BUCKET in target.netloc + target.path and target.path.endswith(document.file.name)
    assert "X-Amz-Signature" in parse_qs(target.query)


def test_a_file_a_browser_would_run_is_stored_as_a_download(bucket):
    from django.core.files.storage import default_storage

    name = default_storage.save("images/evil.svg", ContentFile(b"<svg onload='alert(1)'/>"))
    stored = bucket.get_object(Bucket=BUCKET, Key=f"media/{name}")
    assert stored["ContentType"] == "application/octet-stream"
    assert stored["ContentDisposition"] == "attachment"
    # The same name again is a new file: the first stays what it was.
    again = default_storage.save("images/evil.svg", ContentFile(b"other"))
    assert again != name


# A backup copies the database from outside any transaction (as the backup tests do).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_leaves_the_files_in_the_bucket_and_says_so(bucket, tmp_path):
    get_document_model().objects.create(
        title="Arisu", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    summary = backup_create(tmp_path / "site.tar")
    assert summary.media_files == 0
    assert summary.media_elsewhere == f"s3://{BUCKET}/media"
    with tarfile.open(tmp_path / "site.tar") as archive:
        manifest = json.load(io.BytesIO(archive.extractfile("manifest.json").read()))
        assert not [name for name in archive.getnames() if name.startswith("media/")]
    assert manifest["media"] == {}
    assert manifest["media_elsewhere"] == f"s3://{BUCKET}/media"
