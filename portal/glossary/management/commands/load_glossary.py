"""Load the starter synonym glossary, or another file of the same shape."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.glossary.services import STARTER_GLOSSARY, GlossaryFileError, glossary_load


class Command(BaseCommand):
    help = (
        "Create or update synonym sets from a JSON file, matched by name. Existing sets keep "
        "their terms, note and enabled state and gain the file's missing terms; no set is "
        "ever deleted. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=STARTER_GLOSSARY,
            help=f"The glossary file (default: {STARTER_GLOSSARY}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without saving anything.",
        )

    def handle(self, *args, path: Path, dry_run: bool, verbosity: int, **options):
        try:
            report = glossary_load(path=path, dry_run=dry_run)
        except GlossaryFileError as exc:
            raise CommandError(str(exc)) from exc
        for outcome in ("created", "updated", "unchanged"):
            names = getattr(report, outcome)
            self.stdout.write(f"{outcome}: {len(names)}")
            if (dry_run or verbosity > 1) and outcome != "unchanged":
                for name in names:
                    self.stdout.write(f"  {name}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS("Glossary loaded."))
