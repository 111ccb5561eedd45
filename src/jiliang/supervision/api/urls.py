"""URLs of the supervision API, mounted under ``/api/supervision/``."""

from django.urls import path

from jiliang.supervision.api import compulsory_views as cv
from jiliang.supervision.api import interval_views as iv
from jiliang.supervision.api import views

urlpatterns = [
    path("fleets/", views.FleetList.as_view(), name="supervision-fleets"),
    path("fleets/<slug:code>/", views.FleetDetail.as_view(), name="supervision-fleet"),
    path("fleets/<slug:code>/lots/", views.LotList.as_view(), name="supervision-lots"),
    path("fleets/<slug:code>/lots/<int:number>/", views.LotDetail.as_view(), name="supervision-lot"),
    path(
        "fleets/<slug:code>/lots/<int:number>/<slug:action>/",
        views.LotStep.as_view(),
        name="supervision-lot-step",
    ),
    path("fleets/<slug:code>/forecast/", views.ForecastView.as_view(), name="supervision-forecast"),
    path("meters/lookup/", views.MeterLookup.as_view(), name="supervision-meter-lookup"),
    path("filings/", cv.Filings.as_view(), name="supervision-filings"),
    path("due/", cv.DueList.as_view(), name="supervision-due"),
    path("summary/", cv.Summary.as_view(), name="supervision-summary"),
    path("outbox/", cv.Outbox.as_view(), name="supervision-outbox"),
    path("instruments/state/", cv.InstrumentState.as_view(), name="supervision-instrument-state"),
    path("risk/", cv.EarlyWarning.as_view(), name="supervision-risk"),
    path("campaigns/", cv.Campaigns.as_view(), name="supervision-campaigns"),
    path("campaigns/<int:campaign>/findings/", cv.Findings.as_view(), name="supervision-findings"),
    path("findings/<int:finding>/follow-up/", cv.FollowUp.as_view(), name="supervision-follow-up"),
    path(
        "intervals/standards/<int:key>/", iv.HistoryAdvice.as_view(kind="standard"), name="intervals-standard"
    ),
    path(
        "intervals/instruments/<int:key>/",
        iv.HistoryAdvice.as_view(kind="instrument"),
        name="intervals-instrument",
    ),
    path(
        "intervals/categories/<slug:key>/",
        iv.HistoryAdvice.as_view(kind="category"),
        name="intervals-category",
    ),
    path("intervals/models/", iv.HistoryAdvice.as_view(kind="model"), name="intervals-model"),
    path("intervals/<slug:category>/", cv.IntervalAdvice.as_view(), name="supervision-interval"),
]
