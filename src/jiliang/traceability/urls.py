"""Web pages of traceability, mounted under ``/traceability/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.traceability import views

app_name = "traceability"

urlpatterns = [
    path("chain/<int:pk>/", views.chain, name="chain"),
    path("impact/", views.impact, name="impact"),
]
