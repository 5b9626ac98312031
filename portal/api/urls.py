"""The JSON API under /api/v1/ (URL names in the namespace "api")."""

from portal.api.endpoints import api

app_name = api.urls_namespace
urlpatterns = api.urls[0]
