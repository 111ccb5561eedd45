from django.urls import path

from jiliang.calculators.sampling.api import views

app_name = "calc_sampling_api"
urlpatterns = [
    path("plan", views.PlanView.as_view(), name="plan"),
    path("lq-plan", views.LQPlanView.as_view(), name="lq-plan"),
    path("oc", views.OCView.as_view(), name="oc"),
    path("zero-acceptance", views.ZeroAcceptanceView.as_view(), name="zero-acceptance"),
    path("variables-plan", views.VariablesPlanView.as_view(), name="variables-plan"),
    path("variables-check", views.VariablesCheckView.as_view(), name="variables-check"),
    path("switching", views.SwitchingView.as_view(), name="switching"),
    path("lots", views.LotsView.as_view(), name="lots"),
]
