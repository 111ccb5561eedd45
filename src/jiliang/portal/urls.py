"""Public pages, mounted under ``/portal/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("institutions/", views.institutions, name="institutions"),
    path("standards/", views.standards, name="standards"),
]
