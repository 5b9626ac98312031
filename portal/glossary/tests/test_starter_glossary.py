"""The starter glossary in `data/glossary.json` is valid and loads in full."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from portal.glossary.models import SynonymSet
from portal.glossary.services import STARTER_GLOSSARY
from portal.glossary.terms import parse_terms

pytestmark = pytest.mark.django_db


def _starter() -> list[dict]:
    return json.loads(STARTER_GLOSSARY.read_text(encoding="utf-8"))


def test_every_starter_set_names_its_concept_in_both_languages():
    for item in _starter():
        terms = parse_terms("\n".join(item["terms"]))
        assert terms == item["terms"], f"{item['name']}: repeated or untrimmed terms"
        assert any(any("가" <= ch <= "힣" for ch in term) for term in terms), item["name"]
        assert any(term.isascii() for term in terms), item["name"]


def test_the_starter_glossary_loads_without_arguments():
    call_command("load_glossary", stdout=StringIO())
    assert SynonymSet.objects.count() == len(_starter())
    assert SynonymSet.objects.filter(enabled=True).count() == len(_starter())
