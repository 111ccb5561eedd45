"""URLs of the supervision API, mounted under ``/api/supervision/``."""

from django.urls import path

from jiliang.supervision.api import views

urlpatterns = [
    path("fleets/", views.FleetList.as_view(), name="supervision-fleets"),
    path("fleets/<slug:code>/", views.FleetDetail.as_view(), name="supervision-fleet"),
    path("fleets/<slug:code>/lots/", views.LotList.as_view(), name="supervision-lots"),
    path("fleets/<slug:code>/lots/<int:number>/", views.LotAction.as_view(), name="supervision-lot"),
    path(
        "fleets/<slug:code>/lots/<int:number>/<slug:action>/",
        views.LotAction.as_view(),
        name="supervision-lot-step",
    ),
    path("fleets/<slug:code>/forecast/", views.ForecastView.as_view(), name="supervision-forecast"),
    path("meters/lookup/", views.MeterLookup.as_view(), name="supervision-meter-lookup"),
]
