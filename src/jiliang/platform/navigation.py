"""The main navigation, contributed by each installed Jiliang app.

An app's ``AppConfig`` may declare ``nav_items``: a sequence of ``(order, url_name, label)`` with a
lazily translated label. The platform collects them, so adding an app never edits a shared template.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@cache
def _items() -> tuple[tuple[int, str, object], ...]:
    found = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "nav_items", ()))
    return tuple(sorted(found, key=lambda item: item[0]))


def nav_items(request: HttpRequest) -> dict[str, list[dict[str, object]]]:
    items = []
    for _order, url_name, label in _items():
        try:
            items.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
