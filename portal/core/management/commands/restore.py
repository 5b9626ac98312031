"""``manage.py restore PATH``: put back the database and the uploaded files of a backup."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from portal.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of a backup made by "
        "`manage.py backup`. Everything in the backup is checked before anything is "
        "changed. Stop the app servers first; run `manage.py migrate` after."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, path: str, interactive: bool, **options):
        if interactive:
            answer = input(
                "This replaces every page, document, request and file of this site with "
                f"those in {path}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError(gettext("Nothing was changed."))
        try:
            summary = backup_restore(path)
        except BackupError as error:
            raise CommandError(f"{error} {gettext('Nothing was changed.')}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.path}: {summary.rows} rows in {summary.tables} tables; "
                f"{summary.media_files} files ({summary.media_bytes} bytes)."
            )
        )
        if summary.media_elsewhere:
            self.stdout.write(
                f"The uploaded files are in {summary.media_elsewhere}, not in the backup: "
                "keep that bucket versioned to be able to go back."
            )
