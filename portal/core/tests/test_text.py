"""The seed's rule for long titles in listings."""

import pytest

from portal.core.text import truncate_title

MASK = "Introduction of the App Report System for Mandatory Mask Wearing on Public Transportation"


@pytest.mark.parametrize(
    ("title", "limit", "expected", "cut"),
    [
        (
            MASK,
            80,
            "Introduction of the App Report System for Mandatory Mask Wearing on Public Trans..",
            True,
        ),
        ("Sunlight Brightens up the Parks and Bicycle Lanes of Seoul", 80, None, False),
        ("x" * 80, 80, None, False),
        ("x" * 81, 80, "x" * 80 + "..", True),
        ("대중교통 마스크 착용 의무화 앱 신고 시스템 도입", 10, "대중교통 마스크 착..", True),
    ],
    ids=["seed-mask-title", "short-title", "exactly-the-limit", "one-over", "korean"],
)
def test_truncate_title_cuts_after_the_limit_with_two_dots(title, limit, expected, cut):
    shown, was_cut = truncate_title(title, limit)
    assert was_cut is cut
    assert shown == (expected if cut else title)
