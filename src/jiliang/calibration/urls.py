"""Web pages of records, mounted under ``/calibration/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.calibration import views

app_name = "calibration"

urlpatterns = [
    path("records/", views.record_list, name="record-list"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
]
