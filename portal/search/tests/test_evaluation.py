"""The judged-query evaluation: its metrics and the search_eval command."""

import json

import pytest
from django.core.management import CommandError, call_command

from portal.core.tests import factories as f
from portal.search.evaluation import ndcg, recall, reciprocal_rank


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise():
    relevant = {"A": 2, "B": 1}
    assert ndcg(["A", "B", "C"], relevant, 10) == pytest.approx(1.0)
    assert ndcg(["B", "A"], relevant, 10) < 1.0
    assert ndcg(["C", "D"], relevant, 10) == 0.0
    assert ndcg(["C", "A"], relevant, 1) == 0.0


def test_reciprocal_rank_and_recall():
    relevant = {"A": 2, "B": 1}
    assert reciprocal_rank(["C", "B", "A"], relevant) == pytest.approx(0.5)
    assert reciprocal_rank(["C"], relevant) == 0.0
    assert recall(["A", "C"], relevant, 10) == pytest.approx(0.5)
    assert recall(["C", "A"], relevant, 1) == 0.0


@pytest.fixture
def judged(tree, tmp_path):
    bike = f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["ko"], slug="bike", title="공공자전거 따릉이",
            summary="자전거를 빌려 타는 서비스", source_id="D1",
        )
    )  # fmt: skip
    f.translate(bike, "en", title="Ddareungi public bikes", summary="Bikes to rent.")
    f.publish(
        f.PolicyPageFactory(
            parent=tree.policies["ko"], slug="water", title="수돗물 아리수",
            source_id="D2",
            summary="서울의 수돗물 아리수는 정수센터에서 수질 검사를 거쳐 가정에 공급된다. "
            "시민은 집에서 수돗물 수질 검사를 무료로 신청할 수 있다.",
        )
    )  # fmt: skip
    path = tmp_path / "queries.jsonl"
    lines = [
        {"qid": "q1", "lang": "ko", "query": "자전거", "relevant": {"D1": 2}},
        {"qid": "q2", "lang": "en", "query": "tap water quality", "relevant": {"D2": 2}},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    return path


@pytest.mark.django_db
def test_search_eval_prints_groups_and_ends_with_ndcg(judged, capsys):
    call_command("search_eval", str(judged), "--baseline", "--per-query")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("nDCG@10 ")
    assert 0.5 <= float(out[-1].split()[1]) <= 1.0, out
    assert any(line.strip() == "q1: nDCG@10 1.000  ['D1']" for line in out), out
    assert any(line.strip().startswith("cross") for line in out)
    assert any("stock search" in line for line in out)


@pytest.mark.django_db
def test_search_eval_json(judged, capsys):
    call_command("search_eval", str(judged), "--json", "--k", "5")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"overall", "groups"}
    assert set(data["groups"]) == {"en", "ko", "cross"}
    assert data["groups"]["cross"]["queries"] == 1  # D2 exists only in Korean
    assert data["overall"]["queries"] == 2
    assert "ndcg@5" in data["overall"]


@pytest.mark.django_db
def test_search_eval_reports_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"qid": "q1"}\n')
    with pytest.raises(CommandError, match="line 1"):
        call_command("search_eval", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("search_eval", str(tmp_path / "missing.jsonl"))
