"""Public certificate pages, mounted under ``/certificates/`` (``WEB_MODULES``)."""

from django.urls import path

from jiliang.certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<path:number>/", views.verify, name="verify-number"),
    # before the <path:number> routes, which would take "records" for a certificate number
    path("records/<int:pk>/dcc.xml", views.record_download, {"fmt": "xml"}, name="record-xml"),
    path("records/<int:pk>/copy.pdf", views.record_download, {"fmt": "pdf"}, name="record-pdf"),
    path("records/<int:pk>/sign/", views.record_sign, name="record-sign"),
    path("<path:number>/<str:digest>/dcc.xml", views.signed_xml, name="xml"),
    path("<path:number>/<str:digest>/copy.pdf", views.copy, {"fmt": "pdf"}, name="copy-pdf"),
    path("<path:number>/<str:digest>/copy.html", views.copy, {"fmt": "html"}, name="copy-html"),
]
