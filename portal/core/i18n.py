"""Language helpers: the active language, bilingual model fields, translations of a page."""

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from portal.core.content_version import cached_content

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    """The active language reduced to one of the site's codes (``en-us`` -> ``en``)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def bilingual(obj: object, field: str, language: str | None = None) -> str:
    """Value of ``<field>_<language>`` on ``obj``, falling back to the other language.

    Snippets such as sectors and partners keep both names on one row, so that a page
    and its translation point at the same object.
    """
    language = language or active_language()
    order = [language] + [code for code in LANGUAGE_CODES if code != language]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


def locale_home(*, site: Site | None, language: str) -> Page | None:
    """The live home page of ``language`` under ``site``'s root, if there is one."""
    if site is None:
        return None
    return cached_content(
        f"locale-home:{site.pk}:{language}", lambda: _locale_home(site=site, language=language)
    )


def _locale_home(*, site: Site, language: str) -> Page | None:
    root = site.root_page
    if root.locale.language_code == language:
        return root if root.live else None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    translated = root.get_translation_or_none(locale)
    return translated if translated is not None and translated.live else None


def page_versions(page: Page) -> dict[str, Page]:
    """The page's live, public versions by language, itself included (if live), kept
    until content next changes."""

    def build() -> dict[str, Page]:
        versions = page.get_translations(inclusive=True).live().public().select_related("locale")
        return {version.locale.language_code: version for version in versions}

    return cached_content(f"versions:{page.pk}", build)


def locales_by_id() -> dict[int, Locale]:
    """Every locale by id: pages read their language on every request."""
    return cached_content("locales", lambda: {locale.pk: locale for locale in Locale.objects.all()})


def translation_url(
    *, page: Page | None, site: Site | None, language: str, request=None
) -> tuple[str | None, bool]:
    """URL of ``page`` in ``language`` and whether it is the same page translated.

    Falls back to that language's home page when the page has no live translation.
    """
    if page is not None and page.locale.language_code == language:
        return page.get_url(request), True
    if page is not None:
        translated = page_versions(page).get(language)
        if translated is not None:
            return translated.get_url(request), True
    home = locale_home(site=site, language=language)
    if home is not None:
        return home.get_url(request), False
    with translation.override(language):
        return f"/{language}/", False
