from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jiliang.platform.navigation import signed_in


class CalibrationConfig(AppConfig):
    name = "jiliang.calibration"
    label = "calibration"
    verbose_name = _("Calibration and verification")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = ((30, "calibration:record-list", _("Certificates"), signed_in),)
