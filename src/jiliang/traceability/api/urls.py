"""URLs of the traceability API, mounted under ``/api/traceability/``."""

from django.urls import path

from jiliang.traceability.api import views

urlpatterns = [
    path("chain/", views.ChainView.as_view(), name="trace-chain"),
    path("chain/<int:pk>/", views.ChainView.as_view(), name="trace-chain-record"),
    path("impact/", views.ImpactView.as_view(), name="trace-impact"),
]
