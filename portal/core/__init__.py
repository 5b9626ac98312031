"""Shared foundations: sectors, site settings, page bases, i18n helpers, template tags."""
