"""Every error condition of the protocol, answered with HTTP 200 and its own code; the
request element drops the arguments exactly when they were not valid."""

import pytest
from django.core import signing

from portal.oai.protocol import TOKEN_SALT
from portal.oai.tests.conftest import NS, error_code, oai, oai_id, resumption_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"verb": "Harvest"},
        {"verb": "identify"},
        {"verb": ""},
        {"verb": ["Identify", "Identify"]},
        {"verb": ["Identify", "ListSets"]},
    ],
    ids=["missing", "unknown", "wrong-case", "empty", "repeated", "two-verbs"],
)
def test_bad_verb(client, db, params):
    root = oai(client, **params)
    assert error_code(root) == "badVerb"
    assert root.find("oai:request", NS).attrib == {}


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "set": "kind"},
        {"verb": "ListRecords"},
        {"verb": "ListIdentifiers", "set": "kind:policy"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": "oai:seoulsolution.kr:policy/1"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "page": "2"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "20200101"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2020-01-01T00:00:00.5Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2020-01-01T00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2020-01-01T00:00:00+09:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": ""},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2020-01-01",
            "until": "2020-01-02T00:00:00Z",
        },
        {
            "verb": "ListIdentifiers",
            "metadataPrefix": "oai_dc",
            "from": "2021-01-02",
            "until": "2021-01-01",
        },
        {
            "verb": "ListIdentifiers",
            "metadataPrefix": "oai_dc",
            "from": "2021-01-01T00:00:01Z",
            "until": "2021-01-01T00:00:00Z",
        },
        {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "resumptionToken": "x", "set": "kind"},
        {"verb": "ListRecords", "metadataPrefix": "oai dc"},
        {"verb": "ListRecords", "metadataPrefix": ""},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "sector:"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "교통"},
    ],
    ids=[
        "identify-takes-nothing",
        "listsets-takes-no-set",
        "missing-metadataPrefix",
        "missing-metadataPrefix-with-set",
        "getrecord-missing-identifier",
        "getrecord-missing-metadataPrefix",
        "repeated-argument",
        "unknown-argument",
        "impossible-date",
        "date-without-dashes",
        "time-without-Z",
        "fractional-seconds",
        "minutes-only",
        "not-utc",
        "empty-date",
        "mixed-granularities",
        "from-after-until-days",
        "from-after-until-seconds",
        "token-with-other-argument",
        "listsets-token-with-other-argument",
        "prefix-with-space",
        "empty-prefix",
        "set-ending-in-colon",
        "set-not-ascii",
    ],
)
def test_bad_argument(client, db, params):
    root = oai(client, **params)
    assert error_code(root) == "badArgument"
    assert root.find("oai:request", NS).attrib == {}


def test_cannot_disseminate_format(client, catalogue):
    identifier = oai_id(catalogue.bus["ko"], "policy")
    for params in [
        {"verb": "ListRecords", "metadataPrefix": "marc21"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_datacite", "set": "kind:policy"},
        {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": identifier},
    ]:
        root = oai(client, **params)
        assert error_code(root) == "cannotDisseminateFormat"
        # A valid request with an unavailable format: the arguments are echoed.
        assert root.find("oai:request", NS).attrib == params


@pytest.mark.parametrize("verb", ["GetRecord", "ListMetadataFormats"])
def test_id_does_not_exist(client, catalogue, verb):
    extra = {"metadataPrefix": "oai_dc"} if verb == "GetRecord" else {}
    for identifier in [
        "oai:seoulsolution.kr:policy/999999",
        oai_id(catalogue.bus["ko"], "archive"),  # the page exists, as another kind
        oai_id(catalogue.news, "news"),
        oai_id(catalogue.draft, "policy"),
        f"oai:example.org:policy/{catalogue.bus['ko'].pk}",
        "http://testserver/ko/policies/bus-reform/",
        "",
    ]:
        root = oai(client, verb=verb, identifier=identifier, **extra)
        assert error_code(root) == "idDoesNotExist", identifier


@pytest.mark.parametrize(
    "params",
    [
        {"set": "sector:does-not-exist"},
        {"set": "kind:news"},
        {"set": "region:seoul"},
        {"until": "1999-12-31"},
        {"from": "2999-01-01T00:00:00Z"},
    ],
)
def test_no_records_match(client, catalogue, params):
    for verb in ["ListIdentifiers", "ListRecords"]:
        root = oai(client, verb=verb, metadataPrefix="oai_dc", **params)
        assert error_code(root) == "noRecordsMatch"
        assert root.find("oai:request", NS).attrib == {
            "verb": verb,
            "metadataPrefix": "oai_dc",
            **params,
        }


def test_no_records_match_in_an_empty_repository(client, tree):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert error_code(root) == "noRecordsMatch"


@pytest.fixture
def token(client, catalogue, settings) -> str:
    settings.OAI_PAGE_SIZE = 2
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    return resumption_token(root).text


def _tampered(token: str) -> str:
    """The token with one character of its payload changed."""
    position = 5
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


def test_the_token_itself_is_accepted(client, token):
    root = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(root) is None


@pytest.mark.parametrize(
    "make_token",
    [
        lambda token: "not-a-token",
        lambda token: "",
        _tampered,
        lambda token: token + "x",
        # Signed, but with another salt (another purpose) or a payload we never write.
        lambda token: signing.dumps(signing.loads(token, salt=TOKEN_SALT), salt="other"),
        lambda token: signing.dumps({"v": "ListIdentifiers"}, salt=TOKEN_SALT),
        lambda token: signing.dumps(
            {**signing.loads(token, salt=TOKEN_SALT), "a": ["yesterday", 1]}, salt=TOKEN_SALT
        ),
    ],
    ids=["garbage", "empty", "tampered", "extended", "other-salt", "incomplete", "bad-cursor"],
)
def test_bad_resumption_token(client, token, make_token):
    root = oai(client, verb="ListIdentifiers", resumptionToken=make_token(token))
    assert error_code(root) == "badResumptionToken"
    assert root.find("oai:request", NS).get("verb") == "ListIdentifiers"


def test_a_token_is_only_valid_for_its_verb(client, token):
    root = oai(client, verb="ListRecords", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"


def test_list_sets_is_never_split_so_no_token_is_valid(client, token):
    root = oai(client, verb="ListSets", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"


def test_errors_are_answered_with_status_200_on_post_too(client, tree):
    response = client.post("/oai/", {"verb": "Nope"})
    assert response.status_code == 200
    assert b'code="badVerb"' in response.content
