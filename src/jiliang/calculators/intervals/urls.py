from django.urls import path

from jiliang.calculators.intervals import views

app_name = "calc_intervals"
urlpatterns = [path("", views.recommend, name="recommend")]
