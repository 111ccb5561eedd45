from django.urls import path

from jiliang.calculators.sampling import views

app_name = "calc_sampling"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("lq/", views.lq, name="lq"),
    path("oc/", views.oc, name="oc"),
    path("zero-acceptance/", views.zero, name="zero"),
    path("variables/", views.variables, name="variables"),
    path("variables/check/", views.variables_check, name="variables-check"),
    path("switching/", views.switching, name="switching"),
]
