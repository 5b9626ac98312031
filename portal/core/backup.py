"""Backup and restore of the whole site: the database and the uploaded files, together.

A backup is one tar file:

- ``manifest.json``: format, date, database engine, the applied migrations, the
  database copy's SHA-256, each table's number of rows, and each media file with its
  size and SHA-256;
- ``database.sqlite3`` (SQLite's online backup: a consistent copy while the site runs)
  or ``database.pgdump`` (``pg_dump --format=custom``, one snapshot);
- ``media/``: every file under ``MEDIA_ROOT``.

A restore checks everything before it changes anything: that the file is such a backup,
that its database matches this site's engine, that the database copy and every media
file are whole (their checksums; then ``PRAGMA integrity_check`` / ``pg_restore --list``)
and that no file is missing. Then it replaces the database (SQLite's backup API into the live file;
``pg_restore --clean --single-transaction``, which changes nothing if it fails) and then
the media folder (the new one is unpacked beside it and swapped in). Finally every cache
and the search snapshot of every process are told that everything changed.

Media stored elsewhere than the local folder (S3-compatible storage) are not in the
backup; that storage keeps its own versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "seoulsolution-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, for people."""


@dataclass(frozen=True)
class Summary:
    path: Path
    engine: str
    tables: int
    rows: int
    media_files: int
    media_bytes: int
    # Where the uploaded files are when they are not in the backup (S3-compatible storage).
    media_elsewhere: str | None = None


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_elsewhere() -> str | None:
    """The bucket of the uploaded files when they are not in a local folder: a backup
    leaves them there (the bucket keeps its own versions), and a restore leaves them be."""
    bucket = getattr(settings, "MEDIA_S3_BUCKET", None)
    if not bucket:
        return None
    prefix = settings.STORAGES["default"].get("OPTIONS", {}).get("location") or ""
    return f"s3://{bucket}/{prefix}".rstrip("/")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, list]:
    """Each file under ``root``: its size and SHA-256."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): [path.stat().st_size, _digest(path)]
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_env() -> tuple[list[str], dict[str, str]]:
    """``pg_dump``/``pg_restore`` connection arguments and environment, from settings."""
    database = settings.DATABASES["default"]
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", str(database["USER"])]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            _("%(program)s is not installed (Debian package postgresql-client).")
            % {"program": command[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )
    return result


def backup_create(path: Path) -> Summary:
    """Write the backup to ``path`` (written beside it first, then moved into place)."""
    engine = _engine()
    path = Path(path)
    if path.is_dir():
        raise BackupError(
            _("%(path)s is a folder; give the name of the file to write.") % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    media_root = _media_root()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        work = Path(work)
        connection.ensure_connection()
        if engine == "sqlite":
            database_file = work / SQLITE_FILE
            target = sqlite3.connect(database_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            database_file = work / POSTGRES_FILE
            arguments, environment = _postgres_env()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(database_file),
                    *arguments,
                ],
                environment,
            )
        rows = _table_rows()
        elsewhere = _media_elsewhere()
        media = {} if elsewhere else _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "database": {"name": database_file.name, "sha256": _digest(database_file)},
            "tables": rows,
            "media": media,
            "media_elsewhere": elsewhere,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = work / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database_file, arcname=database_file.name)
            for name in media:
                archive.add(media_root / name, arcname=f"media/{name}")
        os.replace(partial, path)
    return _summary(path, engine, rows, media, elsewhere)


def _summary(path: Path, engine: str, rows: dict, media: dict, elsewhere: str | None) -> Summary:
    files = sum(size for size, _sha256 in media.values())
    return Summary(path, engine, len(rows), sum(rows.values()), len(media), files, elsewhere)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(_("This file is not a backup of this site (no manifest).")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a backup of this site (unknown format)."))
    return manifest


def _check_members(archive: tarfile.TarFile, manifest: dict, database_name: str) -> None:
    names = {member.name: member for member in archive.getmembers()}
    if database_name not in names:
        raise BackupError(_("The backup has no database."))
    for name, (size, _sha256) in manifest.get("media", {}).items():
        member = names.get(f"media/{name}")
        if member is None or not member.isfile() or member.size != size:
            raise BackupError(
                _("The backup is incomplete: %(name)s is missing or damaged.") % {"name": name}
            )


def backup_restore(path: Path) -> Summary:
    """Replace the database and the media with the backup at ``path``."""
    engine = _engine()
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file at %(path)s.") % {"path": path})
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(_("This file is not a backup of this site (not a tar file).")) from error
    media_root = _media_root()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with archive, tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        work = Path(work)
        manifest = _read_manifest(archive)
        if manifest.get("engine") != engine:
            raise BackupError(
                _("This backup is of a %(backup)s database; this site runs on %(site)s.")
                % {"backup": manifest.get("engine"), "site": engine}
            )
        database_name = SQLITE_FILE if engine == "sqlite" else POSTGRES_FILE
        _check_members(archive, manifest, database_name)
        try:
            archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(
                _("The backup cannot be unpacked: %(error)s") % {"error": error}
            ) from error
        database_file = work / database_name
        if _digest(database_file) != manifest.get("database", {}).get("sha256"):
            raise BackupError(_("The backup's database is damaged: its checksum does not match."))
        if engine == "sqlite":
            _check_sqlite(database_file)
        else:
            arguments, environment = _postgres_env()
            _run(["pg_restore", "--list", str(database_file)], environment)
        unpacked = work / "media"
        unpacked.mkdir(exist_ok=True)
        if _media_files(unpacked) != manifest.get("media", {}):
            raise BackupError(_("The backup's files do not match its manifest."))

        # Files kept elsewhere when the backup was made, or kept elsewhere now: the
        # local folder is left as it is.
        elsewhere = manifest.get("media_elsewhere") or _media_elsewhere()
        if not elsewhere and os.path.ismount(media_root):
            # A mount point cannot be renamed: the swap below would fail after the
            # database had been replaced.
            raise BackupError(
                _(
                    "The media folder %(folder)s is a mount point, which a restore cannot "
                    "replace: mount the shared storage one folder higher and set MEDIA_ROOT "
                    "to a folder inside it."
                )
                % {"folder": media_root}
            )

        # Everything is checked: replace the database, then the files.
        if engine == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *arguments,
                    str(database_file),
                ],
                environment,
            )
        if not elsewhere:
            previous = media_root.with_name(media_root.name + ".before-restore")
            if previous.exists():
                shutil.rmtree(previous)
            if media_root.exists():
                os.replace(media_root, previous)
            os.replace(unpacked, media_root)
            shutil.rmtree(previous, ignore_errors=True)
    _announce_change()
    return _summary(path, engine, manifest.get("tables", {}), manifest.get("media", {}), elsewhere)


def _check_sqlite(database_file: Path) -> None:
    try:
        check = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()
        finally:
            check.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("The backup's database is damaged: %(error)s") % {"error": error}
        ) from error
    if result != ("ok",):
        raise BackupError(_("The backup's database is damaged: %(error)s") % {"error": result})


def _announce_change() -> None:
    """Every process drops what it holds: pages, fragments and the search snapshot."""
    from portal.core.content_version import content_changed
    from portal.search.services import index_version_bump

    content_changed()
    index_version_bump()
