from django.urls import path

from jiliang.calculators.conformity import views

app_name = "calc_conformity"
urlpatterns = [
    path("", views.check, name="check"),
    path("risk/", views.risk, name="risk"),
]
