"""Web pages of the registry, mounted under ``/registry/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.registry import views
from jiliang.registry.pages import PAGES

app_name = "registry"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    *[path(f"{slug}/", views.record_list, {"kind": slug}, name=slug) for slug in PAGES],
    path("<slug:kind>/new/", views.record_form, name="create"),
    path("<slug:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:kind>/<int:pk>/edit/", views.record_form, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.record_delete, name="delete"),
]
