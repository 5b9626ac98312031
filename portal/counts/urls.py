from django.urls import path

from portal.counts import views

app_name = "counts"
urlpatterns = [path("view/<int:page_id>.gif", views.page_view, name="view")]
