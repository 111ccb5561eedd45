"""Mounted under ``/uncertainty/``."""

from django.urls import path

from jiliang.calculators.uncertainty import views

app_name = "calc_uncertainty"
urlpatterns = [path("", views.page, name="page")]
