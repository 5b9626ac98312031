"""``manage.py backup PATH``: the database and the uploaded files in one file."""

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database and the uploaded files (MEDIA_ROOT) to one backup file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write (replaced if it exists)")

    def handle(self, *args, path: str, **options):
        try:
            summary = backup_create(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {summary.path}: {summary.engine} database, {summary.rows} rows "
                f"in {summary.tables} tables; {summary.media_files} files "
                f"({summary.media_bytes} bytes)."
            )
        )
        if summary.media_elsewhere:
            self.stdout.write(
                f"The uploaded files are in {summary.media_elsewhere}, not in the backup: "
                "keep that bucket versioned to be able to go back."
            )
