"""Public verification API, mounted under ``/api/certificates/`` (``API_MODULES``)."""

from django.urls import path

from jiliang.certificates import views

app_name = "certificates-api"

urlpatterns = [
    path("verify/", views.verify_api, name="verify"),
    path("verify/<str:number>/", views.verify_api, name="verify-number"),
]
