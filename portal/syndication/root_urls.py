"""What lives at the site's root, outside the language prefixes: sitemap and robots.txt."""

from django.urls import path

from portal.syndication import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="syndication-sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="syndication-sitemap-section"),
    path("robots.txt", views.robots_txt, name="syndication-robots"),
]
