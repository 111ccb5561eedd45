"""The main navigation, contributed by each installed Jiliang app.

An app's ``AppConfig`` may declare ``nav_items``: a sequence of ``(order, url_name, label)`` with a
lazily translated label, optionally followed by a menu key from :data:`MENUS` that overrides the
app's own menu (a public page of a records app belongs in the public menu) and by a rule
``user -> bool`` saying to whom the link is shown (:func:`signed_in`, :func:`with_role`); without a
rule it is shown to everyone. The rule states the view's own rule, so that a menu never offers a
page that answers 403 or asks to log in. The platform collects the items and groups them into
menus by app, so adding an app never edits a shared template.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (menu key, label, app labels); an app label not listed goes to the last menu.
MENUS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("public", _("Public"), frozenset({"portal"})),
    ("registry", _("Registry"), frozenset({"registry"})),
    ("calibration", _("Calibration"), frozenset({"calibration", "traceability", "certificates"})),
    ("supervision", _("Supervision"), frozenset({"supervision"})),
    ("tools", _("Calculators"), frozenset()),
)


Rule = Callable[[Any], bool]


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def with_role(*roles: str) -> Rule:
    """Shown to signed-in users whose platform role (``jiliang.registry.policy``) is one of ``roles``."""

    def rule(user: Any) -> bool:
        from jiliang.registry.policy import actor_for  # the models are not loaded when apps declare

        return signed_in(user) and actor_for(user).role in roles

    return rule


def _everyone(user: Any) -> bool:
    return True


def _menu_of(app_label: str) -> str:
    for key, _label, labels in MENUS:
        if app_label in labels:
            return key
    return MENUS[-1][0]


@cache
def _items() -> tuple[tuple[int, str, str, Any, Rule], ...]:
    found = []
    for config in apps.get_app_configs():
        for order, url_name, label, *extra in getattr(config, "nav_items", ()):
            menu = next((e for e in extra if isinstance(e, str)), _menu_of(config.label))
            rule = next((e for e in extra if callable(e)), _everyone)
            found.append((order, menu, url_name, label, rule))
    return tuple(sorted(found, key=lambda item: item[0]))


def nav_items(request: HttpRequest) -> dict[str, Any]:
    links: dict[str, list[dict[str, Any]]] = {key: [] for key, _label, _labels in MENUS}
    for _order, menu, url_name, label, rule in _items():
        if not rule(request.user):
            continue
        try:
            links[menu].append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    menus = [
        {
            "key": key,
            "label": label,
            "items": links[key],
            "active": any(request.path.startswith(i["url"]) for i in links[key]),
        }
        for key, label, _labels in MENUS
        if links[key]
    ]
    return {"nav_menus": menus, "nav_items": [item for menu in menus for item in menu["items"]]}
