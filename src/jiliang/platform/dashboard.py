"""Panels that apps add to the dashboard, collected like the navigation (:mod:`.navigation`): an
app's ``AppConfig`` may name ``dashboard_panel = "module.function"``, a function of the request
returning HTML (empty when it has nothing to show), so the dashboard imports no app."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


def panels(request: HttpRequest) -> list[SafeString]:
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "dashboard_panel", None)
        if path:
            html = import_string(path)(request)
            if html:
                found.append(mark_safe(html))  # rendered by the app's own template (autoescaped)
    return found
