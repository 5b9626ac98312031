"""schema.org descriptions (JSON-LD) of the detail pages, one function per kind.

Search engines and harvesters read these instead of guessing from the layout; each
function returns a plain dict, and ``to_json`` makes it safe inside a ``<script>``.

Types chosen: news → NewsArticle; archives → Report (reports), DigitalDocument
(brochures), Article (interviews), VideoObject (videos); policies → Article about a
GovernmentService provided by the city; programmes → EducationEvent; the partner
directory → CollectionPage whose main entity is an ItemList of Organizations.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.models import Page, Site

from portal.core.catalogue import Attachment, ItemRecord, absolute_url, item_record, kind_of
from portal.core.i18n import bilingual, locale_home, page_versions
from portal.core.models import PortalSettings
from portal.core.text import field_text
from portal.partners.models import Partner, PartnerIndexPage

CONTEXT = "https://schema.org"
DESCRIPTION_CHARS = 300
ARCHIVE_TYPES = {
    "report": "Report",
    "brochure": "DigitalDocument",
    "interview": "Article",
    "video": "VideoObject",
}
# The city's name is a proper noun, not interface text: one spelling per language.
CITY_NAMES = {"ko": "서울", "en": "Seoul"}
# Shared images (OpenGraph, JSON-LD): the 1.91:1 size link previews show.
IMAGE_FILTER = "fill-1200x630"
# Partner logos as the directory shows them, so the rendition already exists.
PARTNER_LOGO_FILTER = "max-240x96"
# Characters that could end the <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_json(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are
    escaped, so a title containing ``</script>`` cannot close the element."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def organisation_name(language: str, request: HttpRequest | None) -> str:
    """The publisher's name in ``language``, as editors set it for the footer."""
    settings = PortalSettings.load(request_or_site=request)
    return bilingual(settings, "organisation", language)


def rendition_url(image, spec: str, request: HttpRequest) -> str | None:
    """The absolute URL of an image rendition, or ``None`` when the file is missing."""
    if image is None:
        return None
    try:
        return request.build_absolute_uri(image.get_rendition(spec).url)
    except OSError:  # the original is missing from storage: describe the page without it
        return None


def publisher(language: str, request: HttpRequest) -> dict:
    home = locale_home(site=Site.find_for_request(request), language=language)
    return {
        "@type": "GovernmentOrganization",
        "name": organisation_name(language, request),
        "url": absolute_url(request, home) if home else None,
        "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static("img/logo.svg"))},
    }


def seoul(language: str) -> dict:
    name = CITY_NAMES.get(language, CITY_NAMES["en"])
    return {
        "@type": "City",
        "name": name,
        "address": {"@type": "PostalAddress", "addressLocality": name, "addressCountry": "KR"},
    }


def structured_data(page: Page, request: HttpRequest) -> dict | None:
    """The JSON-LD of a page, or ``None`` for pages without one (home, boards, others)."""
    if isinstance(page, PartnerIndexPage):
        return compact(partner_directory(page, request))
    kind = kind_of(page)
    if kind is None:
        return None
    record = item_record(page, request=request, versions=page_versions(page))
    return compact(KIND_BUILDERS[kind](record, page, request))


def news_article(record: ItemRecord, page: Page, request: HttpRequest) -> dict:
    data = _creative_work("NewsArticle", record, request)
    data["author"] = _author(record)
    data["image"] = rendition_url(getattr(page, "image", None), IMAGE_FILTER, request)
    return data


def archive_item(record: ItemRecord, page: Page, request: HttpRequest) -> dict:
    kind = record.extra.get("archive_kind", "")
    data = _creative_work(ARCHIVE_TYPES.get(kind, "DigitalDocument"), record, request)
    data["author"] = _author(record)
    data["encoding"] = [_media_object(attachment) for attachment in record.attachments]
    data["sameAs"] = [record.extra.get("external_url"), record.extra.get("video_url")]
    if record.extra.get("publication_year"):
        data["copyrightYear"] = record.extra["publication_year"]
    if kind == "video":
        data["uploadDate"] = data["datePublished"]
    return data


def policy_article(record: ItemRecord, page: Page, request: HttpRequest) -> dict:
    """An Article (the brief) about the GovernmentService it describes, which the city
    provides; the responsible department is the author."""
    data = _creative_work("Article", record, request)
    city = data["publisher"]
    data["provider"] = city
    data["author"] = (
        {"@type": "GovernmentOrganization", "name": record.creator, "parentOrganization": city}
        if record.creator
        else city
    )
    data["about"] = {
        "@type": "GovernmentService",
        "name": record.title,
        "provider": city,
        "areaServed": seoul(record.language),
        "serviceType": _sector_name(record),
    }
    return data


def education_event(record: ItemRecord, page: Page, request: HttpRequest) -> dict:
    """The recruitment period is the event's span (programmes carry no course dates);
    the application window is when the offer to take part is valid. Events have no
    publication dates, so those go on the page the event is the main entity of."""
    extra = record.extra
    return {
        "@context": CONTEXT,
        "@type": "EducationEvent",
        "name": record.title,
        "description": _description(record),
        "url": record.url,
        "inLanguage": record.language,
        "startDate": _iso(extra.get("recruitment_start")),
        "endDate": _iso(extra.get("recruitment_end")),
        "organizer": {
            "@type": "Organization",
            "name": record.creator,
            "email": extra.get("contact_email"),
        },
        "location": seoul(record.language),
        "maximumAttendeeCapacity": extra.get("capacity"),
        "offers": {
            "@type": "Offer",
            "url": record.url,
            "validFrom": _iso(extra.get("application_opens")),
            "validThrough": _iso(extra.get("application_closes")),
        },
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": record.url,
            "name": record.title,
            "inLanguage": record.language,
            "datePublished": _iso(record.first_published),
            "dateModified": _iso(record.last_modified),
            "publisher": publisher(record.language, request),
        },
    }


def partner_directory(page: Page, request: HttpRequest) -> dict:
    """The directory as a CollectionPage listing every partner as an Organization."""
    language = page.locale.language_code
    partners = [_organization(p, language, request) for p in Partner.objects.select_related("logo")]
    return {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "name": page.title,
        "headline": page.title,
        "url": absolute_url(request, page),
        "description": page.search_description or field_text(page, "intro") or None,
        "inLanguage": language,
        "datePublished": _iso(page.first_published_at),
        "dateModified": _iso(page.last_published_at or page.latest_revision_created_at),
        "publisher": publisher(language, request),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(partners),
            "itemListElement": [
                {"@type": "ListItem", "position": number, "item": partner}
                for number, partner in enumerate(partners, start=1)
            ],
        },
    }


KIND_BUILDERS: dict[str, Callable[[ItemRecord, Page, HttpRequest], dict]] = {
    "news": news_article,
    "archive": archive_item,
    "policy": policy_article,
    "programme": education_event,
}


def _creative_work(schema_type: str, record: ItemRecord, request: HttpRequest) -> dict:
    """What every item page has: names, dates, language, topic and publisher."""
    return {
        "@context": CONTEXT,
        "@type": schema_type,
        "headline": record.title,
        "name": record.title,
        "description": _description(record),
        "url": record.url,
        "mainEntityOfPage": record.url,
        "inLanguage": record.language,
        "datePublished": _iso(record.date or record.first_published),
        "dateModified": _iso(record.last_modified),
        "articleSection": _sector_name(record) if schema_type.endswith("Article") else None,
        "keywords": record.tags,
        "publisher": publisher(record.language, request),
    }


def _author(record: ItemRecord) -> dict | None:
    # Authors on the boards are offices and accounts ("seoulsolution"), not people.
    return {"@type": "Organization", "name": record.creator} if record.creator else None


def _organization(partner, language: str, request: HttpRequest) -> dict:
    other = "en" if language == "ko" else "ko"
    name = bilingual(partner, "name", language)
    alternate = getattr(partner, f"name_{other}", "")
    return {
        "@type": "Organization",
        "name": name,
        "alternateName": alternate if alternate != name else None,
        "url": partner.url or None,
        "logo": rendition_url(partner.logo, PARTNER_LOGO_FILTER, request),
    }


def _media_object(attachment: Attachment) -> dict:
    return {
        "@type": "MediaObject",
        "name": attachment.title,
        "contentUrl": attachment.url,
        "encodingFormat": attachment.content_type,
        "contentSize": _size(attachment.size),
    }


def _size(size: int | None) -> str | None:
    if not size:
        return None
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _sector_name(record: ItemRecord) -> str | None:
    return bilingual(record.sector, "name", record.language) if record.sector else None


def _description(record: ItemRecord) -> str | None:
    text = record.summary or record.body
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS) if text else None


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601; moments in Seoul time, as the pages show them."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.isoformat() if value else None


def compact(value):
    """The value without empty members (``None``, ``""``, ``[]``, ``{}``), recursively:
    schema.org readers treat an empty property as a wrong one."""
    if isinstance(value, dict):
        cleaned = {key: compact(member) for key, member in value.items()}
        return {key: member for key, member in cleaned.items() if member not in (None, "", [], {})}
    if isinstance(value, list):
        cleaned = [compact(member) for member in value]
        return [member for member in cleaned if member not in (None, "", [], {})]
    return value
