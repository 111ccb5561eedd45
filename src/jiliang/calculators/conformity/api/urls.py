from django.urls import path

from jiliang.calculators.conformity.api import views

app_name = "calc_conformity_api"
urlpatterns = [
    path("check", views.CheckView.as_view(), name="check"),
    path("risk", views.RiskView.as_view(), name="risk"),
]
