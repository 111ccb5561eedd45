from django.urls import path

from jiliang.calculators.intervals.api import views

app_name = "calc_intervals_api"
urlpatterns = [path("recommend", views.RecommendView.as_view(), name="recommend")]
