from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConformityCalculatorConfig(AppConfig):
    """Web and REST edges of the conformity core (JCGM 106, ILAC-G8): stateless calculators."""

    name = "jiliang.calculators.conformity"
    label = "calc_conformity"
    verbose_name = _("Conformity decisions")
    nav_items = ((40, "calc_conformity:check", _("Conformity")),)
