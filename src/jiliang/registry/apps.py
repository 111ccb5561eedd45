from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jiliang.platform.navigation import signed_in


class RegistryConfig(AppConfig):
    name = "jiliang.registry"
    label = "registry"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        (10, "registry:dashboard", _("Dashboard")),
        (20, "registry:institutions", _("Institutions")),
        (30, "registry:standards", _("Standards")),
        (40, "registry:reference-materials", _("Reference materials")),
        (50, "registry:instruments", _("Instruments"), signed_in),
        (60, "registry:people", _("People"), signed_in),
        (70, "registry:specifications", _("Specifications")),
    )
