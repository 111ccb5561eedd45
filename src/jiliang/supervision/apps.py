from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jiliang.platform.navigation import signed_in, with_role
from jiliang.registry.choices import Role

# The early-warning list and the regulator summary: jiliang.supervision.policy.regulates.
REGULATORS = with_role(Role.REGULATOR, Role.ADMINISTRATOR)


class SupervisionConfig(AppConfig):
    name = "jiliang.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = (
        (60, "supervision:fleets", _("Meter fleets"), signed_in),
        (61, "supervision:meter-lookup", _("Meter lookup")),
        (62, "supervision:due", _("Compulsory verification"), signed_in),
        (63, "supervision:risk", _("Risk screening"), REGULATORS),
    )
    # Interval recommendations beside the current interval on the registry's detail pages.
    detail_panels = (
        ("standards", "jiliang.supervision.views_intervals.standard_panel"),
        ("instruments", "jiliang.supervision.views_intervals.instrument_panel"),
    )
