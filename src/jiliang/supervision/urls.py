"""Web pages of supervision, mounted under ``/supervision/``."""

from django.urls import path

from jiliang.supervision import views

app_name = "supervision"
urlpatterns = [
    path("fleets/", views.fleets, name="fleets"),
    path("fleets/<slug:code>/", views.fleet, name="fleet"),
    path("fleets/<slug:code>/form-lots/", views.form_lots, name="form-lots"),
    path("fleets/<slug:code>/lots/<int:number>/", views.lot, name="lot"),
    path("fleets/<slug:code>/lots/<int:number>/<slug:step>/", views.lot_step, name="lot-step"),
    path("meters/", views.meter_lookup, name="meter-lookup"),
]
