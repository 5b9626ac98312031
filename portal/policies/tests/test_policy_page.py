"""Policy pages follow the brief's structure and show only the sections that are filled in."""

import pytest

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(tree):
    ko = f.PolicyPageFactory(
        parent=tree.policies["ko"],
        title="공유도시 서울",
        slug="sharing-city-seoul",
        summary="시간, 공간, 재능, 물건, 정보를 함께 나누는 도시입니다.",
        background="<p>사회적 수요는 급증하고 있으나</p>",
        implementation="",
        results="<p>공유 기업 지정</p>",
        department="서울혁신기획관",
        department_contact="02-2133-0000",
    )
    en = f.translate(
        ko,
        "en",
        title="Sharing City Seoul",
        summary="A city that shares.",
        background="<p>Social demand is rising</p>",
        results="<p>Sharing companies designated</p>",
    )
    return {"ko": ko, "en": en}


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "ko",
            [
                "공유도시 서울",
                "추진 배경",
                "사회적 수요는",
                "성과",
                "서울혁신기획관",
                "02-2133-0000",
            ],
            ["추진 과정"],
        ),
        (
            "en",
            [
                "Sharing City Seoul",
                "Background",
                "Social demand is rising",
                "Results",
                "02-2133-0000",
            ],
            ["Implementation"],
        ),
    ],
    ids=["ko", "en"],
)
def test_policy_page_shows_the_filled_sections(client, policy, language, expected, absent):
    html = client.get(f"/{language}/policies/sharing-city-seoul/").content.decode()
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


def test_policy_board_lists_the_policy(client, policy):
    assert "공유도시 서울" in client.get("/ko/policies/").content.decode()
