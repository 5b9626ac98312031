"""Writes to the glossary: forgetting the cached sets and loading sets from a data file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.glossary.models import SynonymSet
from portal.glossary.selectors import SYNONYM_SETS_CACHE_KEY
from portal.glossary.terms import join_terms, parse_terms

STARTER_GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary.json"


def glossary_changed() -> None:
    """Forget the cached synonym sets, so the next search reads them again."""
    cache.delete(SYNONYM_SETS_CACHE_KEY)
    # A search served while the change is still uncommitted would cache the old sets
    # again; clearing once more at commit drops that copy. Outside a transaction, Django
    # runs the callback at once.
    transaction.on_commit(lambda: cache.delete(SYNONYM_SETS_CACHE_KEY))


class GlossaryFileError(Exception):
    """A glossary file that cannot be loaded; the message lists every problem found."""


@dataclass
class GlossaryLoadReport:
    """The names of the sets a load created, updated and left as they were."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Entry:
    name: str
    terms: list[str]


def glossary_load(*, path: Path = STARTER_GLOSSARY, dry_run: bool = False) -> GlossaryLoadReport:
    """Create or update the synonym sets of the JSON file at ``path``, matched by name.

    The file is a list of ``{"name": ..., "terms": [...]}``. A set missing from the
    database is created, enabled. A set that exists gains the file's terms it lacks and
    keeps everything editors gave it: their own terms, its note and whether it is enabled.
    Sets that are not in the file are left alone, so nothing editors made is ever deleted
    and a second run changes nothing.

    The whole file is checked before anything is written; a file with any problem raises
    ``GlossaryFileError`` and changes nothing. With ``dry_run`` the report says what a run
    would do and nothing is saved.
    """
    entries = _read_entries(path)
    existing = {s.name: s for s in SynonymSet.objects.filter(name__in=[e.name for e in entries])}
    report = GlossaryLoadReport(dry_run=dry_run)
    to_save: list[SynonymSet] = []
    problems: list[str] = []
    for entry in entries:
        synonym_set = existing.get(entry.name)
        if synonym_set is None:
            synonym_set = SynonymSet(name=entry.name, terms=join_terms(entry.terms))
            outcome = report.created
        else:
            current = join_terms(parse_terms(synonym_set.terms))
            synonym_set.terms = join_terms(parse_terms(join_terms([current, *entry.terms])))
            outcome = report.unchanged if synonym_set.terms == current else report.updated
        if outcome is not report.unchanged:
            try:
                synonym_set.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                problems.append(f"{entry.name!r} with the terms already saved: {_text(exc)}")
                continue
            to_save.append(synonym_set)
        outcome.append(entry.name)
    if problems:
        raise GlossaryFileError(_problem_list(path, problems))
    if not dry_run:
        with transaction.atomic():
            for synonym_set in to_save:
                synonym_set.save()
    return report


def _read_entries(path: Path) -> list[_Entry]:
    """The file's sets, each checked on its own; raises ``GlossaryFileError``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GlossaryFileError(_problem_list(path, [f"cannot read it: {exc}"])) from exc
    except UnicodeDecodeError as exc:
        raise GlossaryFileError(_problem_list(path, [f"not UTF-8 text: {exc}"])) from exc
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise GlossaryFileError(_problem_list(path, [problem])) from exc
    if not isinstance(data, list):
        problem = 'the file must hold a list of {"name": ..., "terms": [...]} objects'
        raise GlossaryFileError(_problem_list(path, [problem]))
    entries: list[_Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(data, start=1):
        entry, item_problems = _check_item(item)
        problems.extend(f"set {position}: {problem}" for problem in item_problems)
        if entry is None:
            continue
        first = seen.setdefault(entry.name.casefold(), position)
        if first != position:
            problems.append(f"set {position}: the name {entry.name!r} repeats set {first}")
        elif not item_problems:
            entries.append(entry)
    if problems:
        raise GlossaryFileError(_problem_list(path, problems))
    return entries


def _check_item(item: Any) -> tuple[_Entry | None, list[str]]:
    if not isinstance(item, dict):
        return None, ['expected an object with "name" and "terms"']
    problems = []
    unknown = sorted(set(item) - {"name", "terms"})
    if unknown:
        problems.append(f"unknown keys {', '.join(map(repr, unknown))}")
    name, terms = item.get("name"), item.get("terms")
    if not isinstance(name, str) or not name.strip():
        problems.append('"name" must be a non-empty string')
    if not isinstance(terms, list) or not all(isinstance(term, str) for term in terms):
        problems.append('"terms" must be a list of strings')
    if problems:
        # A set with a usable name still takes part in the check for repeated names.
        named = isinstance(name, str) and name.strip()
        return (_Entry(" ".join(name.split()), []) if named else None), problems
    candidate = SynonymSet(name=name, terms=join_terms(terms))
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return _Entry(candidate.name, []), [f"{candidate.name!r}: {_text(exc)}"]
    return _Entry(candidate.name, parse_terms(candidate.terms)), []


def _text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _problem_list(path: Path, problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return f"{path} was not loaded; nothing was changed:\n{lines}"
