"""`manage.py load_glossary`: creates and completes sets by name, never deletes, changes nothing twice."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.glossary.models import SynonymSet
from portal.glossary.tests.factories import SynonymSetFactory

pytestmark = pytest.mark.django_db

GLOSSARY = [
    {"name": "Public bicycle", "terms": ["따릉이", "Ddareungi", "Seoul Bike"]},
    {"name": "Tap water", "terms": ["수돗물", "아리수", "Arisu", "tap water"]},
]


def _write(tmp_path, data, name="glossary.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _load(path, *args) -> str:
    out = StringIO()
    call_command("load_glossary", str(path), *args, stdout=out)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    return list(
        SynonymSet.objects.order_by("name").values_list(
            "name", "terms", "enabled", "note", "updated_at"
        )
    )


def test_load_creates_the_sets_of_the_file(tmp_path):
    output = _load(_write(tmp_path, GLOSSARY))
    assert "created: 2" in output and "updated: 0" in output and "unchanged: 0" in output
    bike = SynonymSet.objects.get(name="Public bicycle")
    assert bike.term_list == ["따릉이", "Ddareungi", "Seoul Bike"]
    assert bike.enabled


def test_loading_twice_changes_nothing(tmp_path):
    path = _write(tmp_path, GLOSSARY)
    _load(path)
    before = _snapshot()
    output = _load(path)
    assert "created: 0" in output and "updated: 0" in output and "unchanged: 2" in output
    assert _snapshot() == before


def test_load_adds_missing_terms_and_keeps_what_editors_did(tmp_path):
    SynonymSetFactory(
        name="Public bicycle",
        terms="따릉이\nbike sharing",
        enabled=False,
        note="Checked with the Transport Division.",
    )
    editors_own = SynonymSetFactory(name="Night market", terms="야시장\nnight market")
    output = _load(_write(tmp_path, GLOSSARY))
    assert "created: 1" in output and "updated: 1" in output
    bike = SynonymSet.objects.get(name="Public bicycle")
    assert bike.term_list == ["따릉이", "bike sharing", "Ddareungi", "Seoul Bike"]
    assert not bike.enabled
    assert bike.note == "Checked with the Transport Division."
    assert SynonymSet.objects.get(pk=editors_own.pk).term_list == ["야시장", "night market"]


def test_a_set_that_already_has_every_term_is_unchanged(tmp_path):
    SynonymSetFactory(name="Public bicycle", terms="Seoul Bike\nDDAREUNGI\n따릉이\npublic bike")
    before = _snapshot()
    output = _load(_write(tmp_path, GLOSSARY[:1]))
    assert "unchanged: 1" in output
    assert _snapshot() == before


def test_dry_run_reports_and_saves_nothing(tmp_path):
    SynonymSetFactory(name="Tap water", terms="수돗물\ntap water")
    before = _snapshot()
    output = _load(_write(tmp_path, GLOSSARY), "--dry-run")
    assert "created: 1" in output and "updated: 1" in output
    assert "Public bicycle" in output and "Tap water" in output
    assert "Dry run" in output
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"name": "Subway", "terms": ["지하철", "subway"]', "not valid JSON"),
        ('{"name": "Subway", "terms": ["지하철", "subway"]}', "must hold a list"),
        ('["지하철", "subway"]', 'expected an object with "name" and "terms"'),
        ([{"name": "", "terms": ["지하철", "subway"]}], '"name" must be a non-empty string'),
        ([{"name": "Subway", "terms": "지하철, subway"}], '"terms" must be a list of strings'),
        ([{"name": "Subway", "terms": ["지하철", 7]}], '"terms" must be a list of strings'),
        ([{"name": "Subway", "term": ["지하철", "subway"]}], "unknown keys 'term'"),
        ([{"name": "Subway", "terms": ["지하철", "subway"]}] * 2, "repeats set 2"),
        ([{"name": "Subway", "terms": ["지하철"]}], "'Subway'"),
        ([{"name": "Subway", "terms": ["지하철", "x" * 101]}], "'Subway'"),
    ],
    ids=[
        "broken-json",
        "not-a-list",
        "not-objects",
        "empty-name",
        "terms-not-a-list",
        "term-not-a-string",
        "misspelt-key",
        "repeated-name",
        "one-term",
        "term-too-long",
    ],
)
def test_a_malformed_file_is_refused_and_changes_nothing(tmp_path, content, message):
    SynonymSetFactory(name="Tap water", terms="수돗물\ntap water")
    before = _snapshot()
    # A valid set first: a file is loaded whole or not at all.
    if isinstance(content, list):
        content = [GLOSSARY[0], *content]
    with pytest.raises(CommandError) as caught:
        _load(_write(tmp_path, content))
    assert message in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert _snapshot() == before


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    content = [{"name": "A", "terms": ["only"]}, {"name": "B", "terms": "x"}]
    with pytest.raises(CommandError) as caught:
        _load(_write(tmp_path, content))
    assert "set 1: 'A'" in str(caught.value)
    assert 'set 2: "terms" must be a list of strings' in str(caught.value)


def test_a_merge_that_would_overflow_a_set_is_refused(tmp_path):
    SynonymSetFactory(name="Big", terms="\n".join(f"old {n}" for n in range(49)))
    before = _snapshot()
    content = [GLOSSARY[0], {"name": "Big", "terms": ["new 1", "new 2"]}]
    with pytest.raises(CommandError) as caught:
        _load(_write(tmp_path, content))
    assert "'Big' with the terms already saved" in str(caught.value)
    assert _snapshot() == before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read it") as caught:
        _load(tmp_path / "missing.json")
    assert "missing.json" in str(caught.value)
