"""Public certificate pages, mounted under ``/certificates/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify, name="verify-number"),
    path("<str:number>/<str:digest>/dcc.xml", views.signed_xml, name="xml"),
    path("<str:number>/<str:digest>/copy.pdf", views.copy, {"fmt": "pdf"}, name="copy-pdf"),
    path("<str:number>/<str:digest>/copy.html", views.copy, {"fmt": "html"}, name="copy-html"),
]
