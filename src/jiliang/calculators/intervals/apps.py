from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervalsCalculatorConfig(AppConfig):
    """Web and REST edges of the calibration-interval core (ILAC-G24 / OIML D 10, JJF 1139)."""

    name = "jiliang.calculators.intervals"
    label = "calc_intervals"
    verbose_name = _("Calibration intervals")
    nav_items = ((45, "calc_intervals:recommend", _("Calibration intervals")),)
