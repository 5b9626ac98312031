"""Every page type declares fields, search fields and API fields that really exist."""

import pytest
from django.template import loader
from wagtail.models import get_page_models
from wagtail_localize.fields import SynchronizedField, get_translatable_fields

from portal.core.models import BoardItemPage, PortalPage

PORTAL_PAGES = [model for model in get_page_models() if issubclass(model, PortalPage)]
BOARD_ITEMS = [model for model in PORTAL_PAGES if issubclass(model, BoardItemPage)]


def test_every_portal_page_type_is_registered():
    names = {model.__name__ for model in PORTAL_PAGES}
    assert names == {
        "HomePage",
        "StandardPage",
        "NewsIndexPage",
        "NewsPage",
        "ArchiveIndexPage",
        "ArchivePage",
        "PolicyIndexPage",
        "PolicyPage",
        "PartnerIndexPage",
        "ProgrammeIndexPage",
        "ProgrammePage",
    }


@pytest.mark.parametrize("model", PORTAL_PAGES, ids=lambda m: m.__name__)
def test_search_fields_name_real_fields(model):
    for search_field in model.search_fields:
        model._meta.get_field(search_field.field_name)


@pytest.mark.parametrize("model", PORTAL_PAGES, ids=lambda m: m.__name__)
def test_every_page_type_has_its_template(model):
    loader.get_template(model.template)


@pytest.mark.parametrize("model", BOARD_ITEMS, ids=lambda m: m.__name__)
def test_translations_keep_the_source_id_instead_of_translating_it(model):
    fields = {field.field_name: field for field in get_translatable_fields(model)}
    assert isinstance(fields["source_id"], SynchronizedField)


def test_server_error_page_needs_no_database():
    html = loader.get_template("500.html").render({})
    assert "<html" in html
