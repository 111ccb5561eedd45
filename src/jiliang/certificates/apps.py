from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "jiliang.certificates"
    label = "certificates"
    verbose_name = _("Digital calibration certificates")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = ((6, "certificates:verify", _("Verify a certificate"), "public"),)
