"""``{% csp_nonce %}``: the nonce an inline script must carry (see ``core.security``)."""

from django import template

from portal.core.security import csp_nonce as current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    return current_nonce()
