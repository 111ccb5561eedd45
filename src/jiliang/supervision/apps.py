from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "jiliang.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        (60, "supervision:fleets", _("Meter fleets")),
        (61, "supervision:meter-lookup", _("Meter lookup")),
        (62, "supervision:due", _("Compulsory verification")),
        (63, "supervision:risk", _("Risk screening")),
    )
