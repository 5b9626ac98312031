"""The cooperation request form under each language's prefix (/ko/inquiries/, /en/inquiries/)."""

from django.urls import path

from portal.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("request/", views.request_form, name="request"),
    path("request/sent/<str:reference>/", views.request_sent, name="sent"),
]
