"""``manage.py backup`` and ``restore``: a round trip gives back every row and every file,
and a bad backup changes nothing."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from portal.core.backup import MANIFEST

# serialized_rollback: like the suite's other transactional tests, leave the database as the
# next one expects it (their setup loads the initial rows again).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Written by the restore itself: every process is told that the index changed.
CHANGED_BY_RESTORE = {"portal_search_indexstate"}


def _value(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _snapshot(media: Path) -> tuple[dict, dict]:
    """Every row of every table, and every media file's bytes."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in CHANGED_BY_RESTORE:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(repr(tuple(map(_value, row))) for row in cursor.fetchall())
    files = {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return rows, files


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def site(media):
    """The demo content, one cooperation request and one programme application."""
    from portal.inquiries.models import Kind
    from portal.inquiries.services import inquiry_submit
    from portal.programmes.models import ProgrammePage
    from portal.programmes.services import ApplicationData, application_submit

    call_command("load_seed", stdout=io.StringIO())
    inquiry_submit(
        data={
            "name": "Ana Souza",
            "organisation": "City of Curitiba",
            "city": "Curitiba",
            "country": "Brazil",
            "email": "ana@example.org",
            "kind": Kind.STUDY_VISIT,
            "people": 3,
            "message": "버스 개편을 배우고 싶습니다.",
            "consent": True,
        },
        related_pages=[],
        language="ko",
    )
    programme = ProgrammePage.objects.get(
        slug="miti-urban-mobility-training", locale__language_code="ko"
    )
    application_submit(
        programme=programme,
        data=ApplicationData(
            organisation="하노이시",
            contact_name="응우옌 반 아",
            email="nguyen@example.org",
            participants=2,
            motivation="순환도로",
            phone="",
            answers=[],
        ),
        language="ko",
    )


def test_a_backup_restores_every_row_and_file_after_changes_and_deletions(
    site, media, tmp_path, client
):
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from portal.inquiries.models import CooperationRequest
    from portal.news.models import NewsPage
    from portal.programmes.models import ProgrammeApplication
    from portal.search.models import IndexState

    before = _snapshot(media)
    assert before[1], "the demo content has files"
    assert any("하노이시" in row for row in before[0]["programmes_programmeapplication"])
    backup = tmp_path / "site.tar"
    output = io.StringIO()
    call_command("backup", str(backup), stdout=output)
    assert "Backed up to" in output.getvalue()
    version = IndexState.objects.get().version

    # Change and delete: a page gets a new revision, another is deleted, a document and
    # its file go, the request is deleted, the application changes, a stray file appears.
    news = NewsPage.objects.live().first()
    news_url = news.url
    edited = Page.objects.get(pk=NewsPage.objects.live().last().pk).specific
    edited.title = "바뀐 제목"
    edited.save_revision().publish()
    news.delete()
    get_document_model().objects.first().delete()
    CooperationRequest.objects.all().delete()
    ProgrammeApplication.objects.update(organisation="바뀐 기관")
    (media / "stray.txt").write_text("not in the backup")
    assert _snapshot(media) != before
    assert client.get(news_url).status_code == 404

    output = io.StringIO()
    call_command("restore", str(backup), "--noinput", stdout=output)
    assert "Restored" in output.getvalue()
    after = _snapshot(media)
    assert after[1] == before[1]  # the same files, byte for byte, and no other
    assert set(after[0]) == set(before[0])
    for table, rows in before[0].items():
        assert after[0][table] == rows, table
    assert IndexState.objects.get().version != version  # every process reloads its index
    assert client.get(news_url).status_code == 200


@pytest.fixture
def small_site(media):
    """A row and a file, without the demo content's minute of loading."""
    from portal.core.models import Sector

    Sector.objects.create(slug="water", name_ko="물", name_en="Water")
    (media / "documents").mkdir()
    (media / "documents" / "brochure.txt").write_text("Seoul tap water")


def _rewrite(source: Path, target: Path, change) -> None:
    """A copy of the backup at ``source`` whose members ``change(name, bytes)`` alters."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read() if member.isfile() else None
            result = change(member.name, data)
            if result is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(result)
            copy.addfile(info, io.BytesIO(result))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("garbage", "not a tar file"),
        ("no manifest", "no manifest"),
        ("other format", "unknown format"),
        ("other engine", "this site runs on"),
        ("file cut short", "is missing or damaged"),
        ("file missing", "is missing or damaged"),
        ("file altered", "do not match its manifest"),
        ("database damaged", "damaged"),
        ("no database", "has no database"),
        ("no such file", "There is no file"),
    ],
)
def test_a_bad_backup_is_refused_and_changes_nothing(small_site, media, tmp_path, damage, message):
    good, bad = tmp_path / "good.tar", tmp_path / "bad.tar"
    call_command("backup", str(good), stdout=io.StringIO())
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"

    def change(name, data):
        if name == MANIFEST and damage in ("other format", "other engine"):
            manifest = json.loads(data)
            if damage == "other format":
                manifest["format"] = "another-backup/9"
            else:
                manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
            return json.dumps(manifest).encode()
        if name == MANIFEST and damage == "no manifest":
            return None
        if name.startswith("media/") and damage == "file cut short":
            return data[:3]
        if name.startswith("media/") and damage == "file missing":
            return None
        if name.startswith("media/") and damage == "file altered":
            return data[::-1]  # the same size, other bytes
        if name == database and damage == "database damaged":
            return data[:100] + b"\0" * 4096 + data[4196:]
        if name == database and damage == "no database":
            return None
        return data

    if damage == "garbage":
        bad.write_bytes(b"%PDF-1.4 not a backup")
    elif damage == "no such file":
        bad = tmp_path / "missing.tar"
    else:
        _rewrite(good, bad, change)
    before = _snapshot(media)
    with translation.override("en"), pytest.raises(CommandError, match=message) as raised:
        call_command("restore", str(bad), "--noinput", stdout=io.StringIO())
    assert "Nothing was changed." in str(raised.value)
    assert _snapshot(media) == before
    if damage == "garbage":  # in the language of whoever runs it
        with translation.override("ko"), pytest.raises(CommandError) as raised:
            call_command("restore", str(bad), "--noinput", stdout=io.StringIO())
        assert str(raised.value) == (
            "이 사이트의 백업 파일이 아닙니다(tar 파일이 아님). 아무것도 바뀌지 않았습니다."
        )


def test_a_media_folder_that_is_a_mount_point_is_refused_before_anything_changes(
    small_site, media, tmp_path, monkeypatch
):
    from portal.core.models import Sector

    backup = tmp_path / "site.tar"
    call_command("backup", str(backup), stdout=io.StringIO())
    Sector.objects.create(slug="energy", name_ko="에너지", name_en="Energy")
    (media / "documents" / "new.txt").write_text("added after the backup")
    monkeypatch.setattr("portal.core.backup.os.path.ismount", lambda path: Path(path) == media)
    before = _snapshot(media)
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("restore", str(backup), "--noinput", stdout=io.StringIO())
    assert "is a mount point" in str(raised.value)
    assert "Nothing was changed." in str(raised.value)
    assert _snapshot(media) == before
    with translation.override("ko"), pytest.raises(CommandError) as raised:
        call_command("restore", str(backup), "--noinput", stdout=io.StringIO())
    assert "마운트 지점" in str(raised.value)


@translation.override("en")
def test_backup_refuses_a_folder_or_a_missing_folder(small_site, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("backup", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "site.tar"), stdout=io.StringIO())


@translation.override("en")
def test_restore_asks_before_replacing_anything(small_site, media, tmp_path, monkeypatch):
    backup = tmp_path / "site.tar"
    call_command("backup", str(backup), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    (media / "new.txt").write_text("kept")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert (media / "new.txt").read_text() == "kept"
