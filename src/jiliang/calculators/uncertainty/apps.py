from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UncertaintyCalculatorConfig(AppConfig):
    name = "jiliang.calculators.uncertainty"
    label = "calc_uncertainty"
    verbose_name = _("Uncertainty calculator")
    nav_items = ((60, "calc_uncertainty:page", _("Uncertainty")),)
