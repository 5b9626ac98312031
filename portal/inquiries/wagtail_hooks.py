"""Registers the cooperation requests in Wagtail's admin."""

from wagtail import hooks

from portal.inquiries.viewsets import cooperation_request_viewset


@hooks.register("register_admin_viewset")
def register_cooperation_requests():
    return cooperation_request_viewset
