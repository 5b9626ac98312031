"""Archive items show their kind, year and where to get them, in both languages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_interview_links_to_the_external_page(client, tree):
    ko = f.ArchivePageFactory(
        parent=tree.archives["ko"],
        title="코로나19 대응에 관한 서울시 인터뷰",
        slug="interview",
        kind="interview",
        publication_year=2020,
        external_url="http://english.seoul.go.kr/covid/interview-with-seoul-on-covid-19-responses/?cat=126/",
    )
    f.translate(
        ko, "en", title="Interview with Seoul Metropolitan Government on COVID-19 Responses"
    )
    ko_html = client.get("/ko/archives/interview/").content.decode()
    en_html = client.get("/en/archives/interview/").content.decode()
    assert "인터뷰" in ko_html and "Interview" in en_html
    for html in (ko_html, en_html):
        assert "english.seoul.go.kr/covid/interview-with-seoul-on-covid-19-responses" in html
        assert "2020" in html


def test_brochure_offers_its_document_for_download(client, tree):
    document = Document.objects.create(
        title="Arisu", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="arisu.pdf")
    )
    f.ArchivePageFactory(
        parent=tree.archives["ko"], title="서울 수돗물 아리수", slug="arisu", document=document
    )
    html = client.get("/ko/archives/arisu/").content.decode()
    assert document.url in html
    assert "PDF" in html


def test_a_video_needs_its_url():
    page = f.ArchivePageFactory.build(kind="video", video_url="")
    with pytest.raises(ValidationError):
        page.clean()
