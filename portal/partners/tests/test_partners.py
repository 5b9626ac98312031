"""Partners: tiles with a logo or the name, both names, and logos that must be images."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from portal.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_directory_groups_partners_and_shows_names_without_logos(client, tree):
    f.PartnerFactory(
        name_ko="아시아개발은행", name_en="Asian Development Bank", kind="international"
    )
    f.PartnerFactory(name_ko="서울시립대학교", name_en="University of Seoul", kind="academic")
    ko = client.get("/ko/partners/").content.decode()
    en = client.get("/en/partners/").content.decode()
    for html in (ko, en):
        assert "아시아개발은행" in html and "Asian Development Bank" in html
    assert "국제기구" in ko
    assert "International organisation" in en


def test_home_page_strip_shows_partners_chosen_for_it(client, tree):
    f.PartnerFactory(name_en="CityNet", name_ko="시티넷", show_on_home=True)
    f.PartnerFactory(name_en="Hidden Partner", show_on_home=False)
    html = client.get("/en/").content.decode()
    assert "CityNet" in html
    assert "Hidden Partner" not in html


def test_a_non_image_uploaded_as_a_logo_is_refused_with_a_message(admin_client):
    fake = SimpleUploadedFile("logo.png", b"this is not an image at all", content_type="image/png")
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {"image-chooser-upload-title": "Logo", "image-chooser-upload-file": fake},
    )
    assert Image.objects.count() == 0
    assert response.status_code == 200
    html = response.json()["htmlFragment"]
    # The admin speaks the editor's language: Korean unless they chose English.
    assert "error-message" in html
    assert "올바른 이미지를 업로드하세요" in html or "Upload a valid image" in html
