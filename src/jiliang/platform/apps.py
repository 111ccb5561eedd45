from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "jiliang.platform"
    label = "platform"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"
