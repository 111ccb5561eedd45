"""Certificate API, mounted under ``/api/certificates/`` (``API_MODULES``): the public
verification and the authenticated export / import."""

from django.urls import path

from jiliang.certificates import views
from jiliang.certificates.api import views as api

app_name = "certificates-api"

urlpatterns = [
    path("verify/", views.verify_api, name="verify"),
    path("verify/<path:number>/", views.verify_api, name="verify-number"),
    path("records/<int:pk>/dcc/", api.record_dcc, name="record-dcc"),
    path("standards/<int:pk>/imports/", api.standard_imports, name="standard-imports"),
]
