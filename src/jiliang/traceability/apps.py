from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jiliang.platform.navigation import signed_in


class TraceabilityConfig(AppConfig):
    name = "jiliang.traceability"
    label = "traceability"
    verbose_name = _("Traceability")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = ((31, "traceability:impact", _("Impact analysis"), signed_in),)
    dashboard_panel = "jiliang.traceability.dashboard.panel"
