"""Each detail page describes itself in JSON-LD with the right schema.org type."""

import json

import pytest

from portal.core.tests import factories as f
from portal.syndication.structured_data import to_json
from portal.syndication.tests.conftest import parse_head

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def json_ld(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    [data] = parse_head(response.content.decode()).json_ld
    return json.loads(data)


def test_a_news_post_is_a_news_article(client, content):
    data = json_ld(client, "/ko/news/summit/")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "CAC 글로벌 서밋"
    assert data["datePublished"] == "2020-06-11"
    assert data["dateModified"].startswith("20")
    assert data["inLanguage"] == "ko"
    assert data["url"] == f"{HOST}/ko/news/summit/"
    assert data["description"] == "온라인 국제회의가 막을 내렸다."
    assert data["publisher"]["name"] == "서울특별시"
    assert data["author"] == {"@type": "Organization", "name": "seoulsolution"}
    assert data["articleSection"] == "보건"
    assert sorted(data["keywords"]) == ["기후", "회의"]
    assert data["image"].startswith(f"{HOST}/")


def test_the_english_version_is_described_in_english(client, content):
    data = json_ld(client, "/en/news/summit/")
    assert data["headline"] == "CAC Global Summit"
    assert data["inLanguage"] == "en"
    assert data["publisher"]["name"] == "Seoul Metropolitan Government"
    assert data["articleSection"] == "Health"


def test_a_report_is_a_report_with_its_document(client, content):
    data = json_ld(client, "/ko/archives/report/")
    assert data["@type"] == "Report"
    assert data["name"] == "서울 교통 보고서"
    assert data["datePublished"] == "2021-03-02"
    assert data["inLanguage"] == "ko"
    [media] = data["encoding"]
    assert media["@type"] == "MediaObject"
    assert media["contentUrl"].startswith(f"{HOST}/documents/")
    assert media["encodingFormat"] == "application/pdf"
    assert media["contentSize"] == "2 KB"


def test_a_brochure_is_a_digital_document(client, content):
    data = json_ld(client, "/en/archives/brochure/")
    assert data["@type"] == "DigitalDocument"
    assert data["name"] == "Seoul brochure"
    assert data["datePublished"] == "2021-01-05"
    assert data["inLanguage"] == "en"
    assert "encoding" not in data


def test_a_policy_is_an_article_about_a_service_the_city_provides(client, content):
    data = json_ld(client, "/en/policies/bus-policy/")
    assert data["@type"] == "Article"
    assert data["headline"] == "Quasi-public bus system"
    assert data["datePublished"] == "2019-04-01"
    assert data["inLanguage"] == "en"
    assert data["description"] == "A reform of bus operations"
    assert data["provider"]["name"] == "Seoul Metropolitan Government"
    assert data["about"]["@type"] == "GovernmentService"
    assert data["about"]["provider"]["name"] == "Seoul Metropolitan Government"
    assert data["author"]["name"] == "서울시 도시교통실"


def test_a_programme_is_an_education_event(client, content):
    data = json_ld(client, "/ko/programmes/course/")
    assert data["@type"] == "EducationEvent"
    assert data["name"] == "도시정책 연수"
    assert data["inLanguage"] == "ko"
    assert data["startDate"] == "2020-07-29"
    assert data["endDate"] == "2020-08-21"
    assert data["offers"]["validFrom"] == "2020-08-20"
    assert data["offers"]["validThrough"] == "2020-08-21"
    assert data["organizer"]["name"] == "서울시 경제정책실"
    assert data["location"]["name"] == "서울"
    assert data["maximumAttendeeCapacity"] == 30
    page = data["mainEntityOfPage"]
    assert page["datePublished"] and page["dateModified"]
    assert page["publisher"]["name"] == "서울특별시"


def test_the_partner_directory_lists_each_partner_as_an_organization(client, content):
    data = json_ld(client, "/en/partners/")
    assert data["@type"] == "CollectionPage"
    assert data["name"] == "Partners"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] and data["dateModified"]
    assert data["publisher"]["name"] == "Seoul Metropolitan Government"
    organisations = [element["item"] for element in data["mainEntity"]["itemListElement"]]
    assert {o["@type"] for o in organisations} == {"Organization"}
    world_bank = next(o for o in organisations if o["name"] == "World Bank")
    assert world_bank["alternateName"] == "세계은행"
    assert world_bank["url"] == "https://worldbank.org/"


def test_listings_and_the_home_page_have_no_json_ld(client, content):
    for path in ("/ko/", "/en/news/", "/ko/policies/"):
        assert parse_head(client.get(path).content.decode()).json_ld == [], path


def test_a_title_cannot_close_the_script_element(client, tree):
    title = 'Bad </script><script>alert("x")</script> & <!-- title'
    f.publish(f.NewsPageFactory(parent=tree.news["ko"], title=title, slug="bad"))
    html = client.get("/ko/news/bad/").content.decode()
    assert "<script>alert" not in html
    assert "<!--" not in html[: html.index("</head>")]
    [data] = parse_head(html).json_ld
    assert json.loads(data)["headline"] == title


def test_to_json_escapes_markup_characters():
    assert to_json({"a": "</script>&"}) == '{"a": "\\u003C/script\\u003E\\u0026"}'
