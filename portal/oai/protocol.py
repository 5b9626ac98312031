"""The OAI-PMH 2.0 protocol: checking a request's arguments, answering its verb, and
writing the XML response (https://www.openarchives.org/OAI/openarchivesprotocol.html).

Nothing here reads the HTTP request except to build absolute URLs: the view passes the
arguments, so the rules of the protocol can be read (and tested) in one place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from portal.core.catalogue import ItemRecord
from portal.oai import selectors
from portal.oai.selectors import Cursor, Header, Record

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)
ET.register_namespace("oai-identifier", OAI_ID_NS)

METADATA_PREFIX = "oai_dc"
REPOSITORY_NAME = "Seoul Solution"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TOKEN_SALT = "portal.oai.resumption-token"
PUBLISHERS = {"ko": "서울특별시", "en": "Seoul Metropolitan Government"}
# DCMI Type vocabulary: every item is a text except a recorded video.
DCMI_TYPES = {"video": "MovingImage"}

# Characters XML 1.0 does not allow, even escaped; imported text sometimes has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# The syntax of metadataPrefix and setSpec values in the OAI-PMH schema.
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


class OaiError(Exception):
    """An error condition of the protocol: answered with HTTP 200 and an error element."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verb:
    """The arguments a verb takes; an exclusive argument must come alone."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None

    def allowed(self) -> frozenset[str]:
        return self.required | self.optional | ({self.exclusive} if self.exclusive else set())


_LIST_ARGS = Verb(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS: dict[str, Verb] = {
    "Identify": Verb(),
    "ListMetadataFormats": Verb(optional=frozenset({"identifier"})),
    "ListSets": Verb(exclusive="resumptionToken"),
    "ListIdentifiers": _LIST_ARGS,
    "ListRecords": _LIST_ARGS,
    "GetRecord": Verb(required=frozenset({"identifier", "metadataPrefix"})),
}


@dataclass(frozen=True)
class Context:
    """What answering needs besides the arguments: where the endpoint is, and the request
    to build the items' absolute URLs from."""

    base_url: str
    request: HttpRequest | None = None


def respond(params: Mapping[str, Sequence[str]], context: Context) -> bytes:
    """The complete XML response to a request's arguments (each name with its values)."""
    root = ET.Element(
        "OAI-PMH", {"xmlns": OAI_NS, f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}"}
    )
    _text(root, "responseDate", _datestamp(timezone.now()))
    request_element = _text(root, "request", context.base_url)
    try:
        verb, args = parse_arguments(params)
        _echo(request_element, verb, args)
        root.append(HANDLERS[verb](args, context))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()  # the spec: echo the arguments only if valid
        _text(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def parse_arguments(params: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or badVerb / badArgument."""
    verbs = params.get("verb", [])
    if len(verbs) != 1:
        raise OaiError("badVerb", "The verb is missing." if not verbs else "The verb is repeated.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError("badVerb", f"{verb!r} is not an OAI-PMH verb.")
    spec = VERBS[verb]
    args: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in spec.allowed():
            raise OaiError("badArgument", f"{verb} does not take the argument {name!r}.")
        if len(values) != 1:
            raise OaiError("badArgument", f"The argument {name!r} is repeated.")
        args[name] = values[0]
    if spec.exclusive and spec.exclusive in args:
        if len(args) > 1:
            raise OaiError("badArgument", f"{spec.exclusive} must be the only argument.")
        return verb, args
    missing = sorted(spec.required - set(args))
    if missing:
        raise OaiError("badArgument", f"{verb} needs the argument {missing[0]!r}.")
    _check_syntax(args)
    return verb, args


def _check_syntax(args: Mapping[str, str]) -> None:
    """Values of an illegal syntax are badArgument (a well-formed but unknown prefix or set
    is answered later, as cannotDisseminateFormat or an empty list)."""
    if "metadataPrefix" in args and not _PREFIX.fullmatch(args["metadataPrefix"]):
        raise OaiError("badArgument", "metadataPrefix has an illegal syntax.")
    if "set" in args and not _SET_SPEC.fullmatch(args["set"]):
        raise OaiError("badArgument", "set is not a setSpec.")
    date_range(args.get("from"), args.get("until"))


def _echo(element: ET.Element, verb: str, args: Mapping[str, str]) -> None:
    """The request's arguments on the request element, once they are known to be valid."""
    element.set("verb", verb)
    for name, value in sorted(args.items()):
        element.set(name, _clean(value))


# -- Verbs ---------------------------------------------------------------------------


def identify(args: Mapping[str, str], context: Context) -> ET.Element:
    """Who the repository is and how it dates and keeps its records."""
    element = ET.Element("Identify")
    _text(element, "repositoryName", REPOSITORY_NAME)
    _text(element, "baseURL", context.base_url)
    _text(element, "protocolVersion", "2.0")
    for email in admin_emails():
        _text(element, "adminEmail", email)
    _text(element, "earliestDatestamp", _datestamp(selectors.earliest_datestamp()))
    _text(element, "deletedRecord", "persistent")
    _text(element, "granularity", GRANULARITY)
    description = ET.SubElement(element, "description")
    oai_id = ET.SubElement(
        description,
        f"{{{OAI_ID_NS}}}oai-identifier",
        {f"{{{XSI_NS}}}schemaLocation": f"{OAI_ID_NS} {OAI_ID_SCHEMA}"},
    )
    for name, value in [
        ("scheme", "oai"),
        ("repositoryIdentifier", selectors.repository_identifier()),
        ("delimiter", ":"),
        ("sampleIdentifier", selectors.oai_identifier("policy", 1)),
    ]:
        _text(oai_id, f"{{{OAI_ID_NS}}}{name}", value)
    return element


def admin_emails() -> list[str]:
    """The site's ADMINS (``(name, email)`` pairs or plain addresses), else a default."""
    emails = [
        entry[1] if isinstance(entry, (tuple, list)) else str(entry) for entry in settings.ADMINS
    ]
    return emails or [settings.OAI_ADMIN_EMAIL]


def list_metadata_formats(args: Mapping[str, str], context: Context) -> ET.Element:
    """Only Dublin Core, for every record (deleted ones included)."""
    if "identifier" in args:
        _record_or_error(args["identifier"], context)
    element = ET.Element("ListMetadataFormats")
    format_element = ET.SubElement(element, "metadataFormat")
    _text(format_element, "metadataPrefix", METADATA_PREFIX)
    _text(format_element, "schema", OAI_DC_SCHEMA)
    _text(format_element, "metadataNamespace", OAI_DC_NS)
    return element


def list_sets(args: Mapping[str, str], context: Context) -> ET.Element:
    """The kinds and sectors; always one response, so no token is ever valid here."""
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "ListSets is never split: no token is valid.")
    element = ET.Element("ListSets")
    for info in selectors.all_sets():
        set_element = ET.SubElement(element, "set")
        _text(set_element, "setSpec", info.spec)
        _text(set_element, "setName", info.name)
    return element


def get_record(args: Mapping[str, str], context: Context) -> ET.Element:
    """One record by identifier, with a deleted header if it was withdrawn."""
    record = _record_or_error(args["identifier"], context)
    _check_prefix(args["metadataPrefix"])
    element = ET.Element("GetRecord")
    element.append(_record(record))
    return element


def list_identifiers(args: Mapping[str, str], context: Context) -> ET.Element:
    return _list("ListIdentifiers", args, context)


def list_records(args: Mapping[str, str], context: Context) -> ET.Element:
    return _list("ListRecords", args, context)


HANDLERS: dict[str, Callable[[Mapping[str, str], Context], ET.Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


def _record_or_error(identifier: str, context: Context) -> Record:
    parsed = selectors.parse_identifier(identifier)
    record = None
    if parsed is not None:
        record = selectors.find_record(*parsed, request=context.request)
    if record is None:
        raise OaiError("idDoesNotExist", f"There is no record {identifier!r}.")
    return record


def _check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OaiError("cannotDisseminateFormat", f"Only {METADATA_PREFIX} is available.")


# -- Lists and resumption tokens -----------------------------------------------------


@dataclass(frozen=True)
class ListState:
    """A list request and how far its harvest has got: what a token carries."""

    verb: str
    metadata_prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    after: Cursor | None = None
    cursor: int = 0


def _list(verb: str, args: Mapping[str, str], context: Context) -> ET.Element:
    """One page of headers or records, with a token for the next page if there is one."""
    if "resumptionToken" in args:
        state = load_token(args["resumptionToken"], verb)
    else:
        state = ListState(
            verb=verb,
            metadata_prefix=args["metadataPrefix"],
            set_spec=args.get("set"),
            from_=args.get("from"),
            until=args.get("until"),
        )
        _check_prefix(state.metadata_prefix)
    start, end = date_range(state.from_, state.until)
    selection = selectors.selection_for_set(state.set_spec).between(start, end)
    size = max(1, settings.OAI_PAGE_SIZE)
    batch = selectors.harvest(selection, after=state.after, size=size, request=context.request)
    if not batch.records:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    element = ET.Element(verb)
    for record in batch.records:
        element.append(_header(record.header) if verb == "ListIdentifiers" else _record(record))
    if state.after is not None or batch.last is not None:
        following = None
        if batch.last is not None:
            following = dataclasses.replace(
                state, after=batch.last, cursor=state.cursor + len(batch.records)
            )
        _resumption_token(element, following, total=batch.total, cursor=state.cursor)
    return element


def _resumption_token(
    parent: ET.Element, following: ListState | None, *, total: int, cursor: int
) -> None:
    """The token for the next page; empty on the last page of a split list."""
    token = dump_token(following) if following is not None else None
    element = _text(parent, "resumptionToken", token)
    element.set("completeListSize", str(total))
    element.set("cursor", str(cursor))


def dump_token(state: ListState) -> str:
    """A signed, self-contained token: the server keeps no harvest state, and a changed
    token fails its signature check."""
    after = [state.after[0].isoformat(), state.after[1]] if state.after else None
    payload = {
        "v": state.verb,
        "m": state.metadata_prefix,
        "s": state.set_spec,
        "f": state.from_,
        "u": state.until,
        "a": after,
        "c": state.cursor,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def load_token(token: str, verb: str) -> ListState:
    """The state a token carries, or badResumptionToken if it is not one we issued for
    this verb."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        after = payload["a"]
        state = ListState(
            verb=payload["v"],
            metadata_prefix=payload["m"],
            set_spec=payload["s"],
            from_=payload["f"],
            until=payload["u"],
            after=(dt.datetime.fromisoformat(after[0]), int(after[1])) if after else None,
            cursor=int(payload["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError) as error:
        raise OaiError("badResumptionToken", "The resumption token is not valid.") from error
    if state.verb != verb:
        raise OaiError("badResumptionToken", f"The resumption token is not one of {verb}.")
    return state


# -- Dates ---------------------------------------------------------------------------


def date_range(
    from_: str | None, until: str | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``from`` and ``until`` as an inclusive start and an exclusive end.

    A day covers the whole day and a second the whole second (datestamps are shown to
    the second but stored finer). Mixed granularities and ``from`` after ``until`` are
    badArgument.
    """
    start = _parse_date("from", from_) if from_ is not None else None
    end = _parse_date("until", until) if until is not None else None
    if start and end:
        if len(from_) != len(until):
            raise OaiError("badArgument", "from and until must have the same granularity.")
        if start[0] > end[0]:
            raise OaiError("badArgument", "from must not be later than until.")
    return (start[0] if start else None, _end_of(*end) if end else None)


def _end_of(moment: dt.datetime, granule: dt.timedelta) -> dt.datetime | None:
    """The first moment after the granule; ``None`` (no bound) after the last one."""
    try:
        return moment + granule
    except OverflowError:
        return None


def _parse_date(name: str, value: str) -> tuple[dt.datetime, dt.timedelta]:
    """The moment a date or time names (UTC) and the length of its granule."""
    try:
        if _DAY.fullmatch(value):
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), dt.timedelta(days=1)
        if _SECOND.fullmatch(value):
            moment = dt.datetime.strptime(value, DATESTAMP_FORMAT).replace(tzinfo=dt.UTC)
            return moment, dt.timedelta(seconds=1)
    except ValueError:
        pass
    raise OaiError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def _datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(DATESTAMP_FORMAT)


# -- Records -------------------------------------------------------------------------


def _header(header: Header) -> ET.Element:
    element = ET.Element("header", {"status": "deleted"} if header.deleted else {})
    _text(element, "identifier", header.identifier)
    _text(element, "datestamp", _datestamp(header.datestamp))
    for spec in header.sets:
        _text(element, "setSpec", spec)
    return element


def _record(record: Record) -> ET.Element:
    """A header, and Dublin Core metadata unless the record is deleted."""
    element = ET.Element("record")
    element.append(_header(record.header))
    if record.item is not None and not record.header.deleted:
        metadata = ET.SubElement(element, "metadata")
        metadata.append(dublin_core(record.item))
    return element


def dublin_core(item: ItemRecord) -> ET.Element:
    """The item in simple Dublin Core, its texts tagged with the record's language."""
    root = ET.Element(
        f"{{{OAI_DC_NS}}}dc", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"}
    )
    language = item.language

    def add(name: str, value: str | None, *, lang: bool = False) -> None:
        if value:
            element = _text(root, f"{{{DC_NS}}}{name}", value)
            if lang:
                element.set(f"{{{XML_NS}}}lang", language)

    add("title", item.title, lang=True)
    add("creator", item.creator)  # a name, often Korean in English records too
    if item.sector is not None:
        add("subject", item.sector.name_ko if language == "ko" else item.sector.name_en, lang=True)
    for tag in item.tags:  # written in either language: not tagged with one
        add("subject", tag)
    add("description", item.summary, lang=True)
    add("publisher", PUBLISHERS.get(language, PUBLISHERS["en"]), lang=True)
    add("date", item.date.isoformat() if item.date else None)
    for kind_type in item_types(item):
        add("type", kind_type)
    add("identifier", item.url)
    add("language", language)
    for url in item.translations.values():
        add("relation", url)
    return root


def item_types(item: ItemRecord) -> list[str]:
    """The DCMI type, then the portal's own kind (``policy``, or the archive item's kind)."""
    kind = item.extra.get("archive_kind") if item.kind == "archive" else item.kind
    return [DCMI_TYPES.get(kind or "", "Text"), kind or item.kind]


# -- XML -----------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str | None, **attrs: str) -> ET.Element:
    """A child element with escaped text (ElementTree escapes; illegal characters go)."""
    element = ET.SubElement(parent, tag, attrs)
    if text:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))
