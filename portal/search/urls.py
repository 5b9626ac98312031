"""The search page and its suggestions, under each language's prefix (/ko/search/, /en/search/)."""

from django.urls import path

from portal.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
]
