from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "jiliang.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        (5, "portal:lookup", _("Instrument lookup")),
        (6, "portal:institutions", _("Institution directory")),
        (7, "portal:standards", _("Standards directory")),
    )
