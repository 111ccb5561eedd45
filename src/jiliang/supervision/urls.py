"""Web pages of supervision, mounted under ``/supervision/``."""

from django.urls import path

from jiliang.supervision import views, views_compulsory

app_name = "supervision"
urlpatterns = [
    path("fleets/", views.fleets, name="fleets"),
    path("fleets/<slug:code>/", views.fleet, name="fleet"),
    path("fleets/<slug:code>/form-lots/", views.form_lots, name="form-lots"),
    path("fleets/<slug:code>/lots/<int:number>/", views.lot, name="lot"),
    path("fleets/<slug:code>/lots/<int:number>/<slug:step>/", views.lot_step, name="lot-step"),
    path("meters/", views.meter_lookup, name="meter-lookup"),
    path("compulsory/", views_compulsory.due_list, name="due"),
    path("compulsory/summary/", views_compulsory.summary, name="summary"),
    path("risk/", views_compulsory.early_warning, name="risk"),
]
