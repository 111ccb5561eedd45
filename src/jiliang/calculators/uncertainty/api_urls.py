"""Mounted under ``/api/uncertainty/``."""

from django.urls import path

from jiliang.calculators.uncertainty.api import EvaluateView

urlpatterns = [path("evaluate", EvaluateView.as_view(), name="uncertainty-evaluate")]
