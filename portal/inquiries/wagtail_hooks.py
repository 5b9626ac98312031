"""Registers the cooperation requests in Wagtail's admin."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.core.permissions import VisitorRecordPolicy
from portal.inquiries.models import CooperationRequest
from portal.inquiries.viewsets import cooperation_request_viewset

register_permission_policy(CooperationRequest, VisitorRecordPolicy(CooperationRequest))


@hooks.register("register_admin_viewset")
def register_cooperation_requests():
    return cooperation_request_viewset
