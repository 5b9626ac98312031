"""Standard pages render headings, paragraphs and questions with answers."""

import pytest
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "question", "answer"),
    [
        ("ko", "공유도시(Sharing City) 서울은?", "함께 나누어 활용함으로써"),
        ("en", "What is Sharing City Seoul?", "sharing and jointly using"),
    ],
    ids=["ko", "en"],
)
def test_faq_renders_question_and_answer(client, tree, language, question, answer):
    ko = f.StandardPageFactory(parent=tree.home["ko"], title="공유도시 서울", slug="sharing-city")
    pages = {"ko": ko, "en": f.translate(ko, "en", title="Sharing City Seoul")}
    page = pages[language]
    page.body = StreamValue(
        page.body.stream_block,
        [
            ("heading", "FAQ"),
            ("faq", {"question": question, "answer": RichText(f"<p>{answer}</p>")}),
        ],
    )
    f.publish(page)
    html = client.get(f"/{language}/sharing-city/").content.decode()
    assert question.replace("'", "&#x27;") in html or question in html
    assert answer in html
    assert "<details" in html
