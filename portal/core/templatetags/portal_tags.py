"""Template tags for every page: navigation, language switcher, breadcrumbs, listing titles."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from portal.core.content_version import cached_content
from portal.core.i18n import active_language, locale_home, translation_url
from portal.core.models import PortalSettings
from portal.core.text import truncate_title

register = template.Library()

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _site(context) -> Site | None:
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def home_page(context) -> Page | None:
    """The home page in the active language."""
    return locale_home(site=_site(context), language=active_language())


@register.inclusion_tag("core/includes/main_menu.html", takes_context=True)
def main_menu(context, home: Page | None = None):
    home = home or locale_home(site=_site(context), language=active_language())
    items = (
        cached_content(f"menu:{home.pk}", lambda: list(home.get_children().live().in_menu()))
        if home is not None
        else []
    )
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "request": context.get("request"),
        "home": home,
        "menu_items": [(item, current_path.startswith(item.path)) for item in items],
    }


@register.simple_tag
def footer_pages(home: Page | None) -> list[Page]:
    """The home page's live children kept out of the main menu (About, policies on privacy
    or copyright): the footer links to them."""
    if home is None:
        return []
    return cached_content(
        f"footer:{home.pk}", lambda: list(home.get_children().live().not_in_menu())
    )


@register.inclusion_tag("core/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the other languages: the same page translated, else that language's home."""
    request = context.get("request")
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    site = _site(context)
    current = active_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url, is_translation = translation_url(page=page, site=site, language=code, request=request)
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "is_current": code == current,
                "is_translation": is_translation,
            }
        )
    return {"languages": languages, "current_name": LANGUAGE_NAMES[current]}


@register.inclusion_tag("core/includes/breadcrumb.html", takes_context=True)
def breadcrumb(context, page: Page):
    return {"request": context.get("request"), "ancestors": page.breadcrumb_pages(), "page": page}


@register.simple_tag(takes_context=True)
def listing_title(context, title: str):
    """A title cut to the configured length with '..'; the full title stays in a tooltip
    and is what screen readers read."""
    request = context.get("request")
    max_chars = PortalSettings.load(request_or_site=request).title_max_chars
    shown, cut = truncate_title(title, max_chars)
    if not cut:
        return title
    return format_html(
        '<span title="{}"><span aria-hidden="true">{}</span><span class="sr-only">{}</span></span>',
        title,
        shown,
        title,
    )


class ContentCacheNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        host = request.get_host() if request is not None else ""
        key = f"fragment:{self.name}:{host}:{active_language()}"
        return mark_safe(cached_content(key, lambda: self.nodelist.render(context)))


@register.tag
def content_cache(parser, token):
    """``{% content_cache "name" %}…{% endcontent_cache %}``: the block's HTML, rendered once
    per site and language and kept until content changes. Only for blocks that show
    published content and settings, never the request's page itself (a preview's draft
    would be kept) or anything about the visitor."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("content_cache takes one name")
    nodelist = parser.parse(("endcontent_cache",))
    parser.delete_first_token()
    return ContentCacheNode(bits[1].strip("\"'"), nodelist)
