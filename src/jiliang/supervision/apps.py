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
    # Interval recommendations beside the current interval on the registry's detail pages.
    detail_panels = (
        ("standards", "jiliang.supervision.views_intervals.standard_panel"),
        ("instruments", "jiliang.supervision.views_intervals.instrument_panel"),
    )
