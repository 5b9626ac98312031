from django.urls import path

from portal.counts import views

app_name = "counts"
urlpatterns = [
    path("view/<int:page_id>.gif", views.page_view, name="view"),
    path("search.gif", views.search_made, name="search"),
    path("opened/<int:page_id>/", views.result_opened, name="opened"),
]
