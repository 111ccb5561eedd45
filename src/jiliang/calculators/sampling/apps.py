from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamplingCalculatorConfig(AppConfig):
    name = "jiliang.calculators.sampling"
    label = "calc_sampling"
    verbose_name = _("Acceptance sampling")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = ((60, "calc_sampling:plan", _("Acceptance sampling")),)
