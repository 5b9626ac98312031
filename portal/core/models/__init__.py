"""Models shared by every content app."""

from portal.core.models.pages import BoardIndexPage, BoardItemPage, PortalPage
from portal.core.models.references import ReferenceCounter
from portal.core.models.sectors import Sector
from portal.core.models.site_settings import PortalSettings
from portal.core.models.standard_page import StandardPage

__all__ = [
    "BoardIndexPage",
    "BoardItemPage",
    "PortalPage",
    "PortalSettings",
    "ReferenceCounter",
    "Sector",
    "StandardPage",
]
