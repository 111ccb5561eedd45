"""RFC 9457 problem details: the one place that maps domain error categories to HTTP.

Every API error answers ``application/problem+json`` with ``type``, ``title``, ``status``,
``detail`` and, for invalid input, ``errors``: a list of ``{"field": path, "reason": text}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jiliang import errors

_STATUS = (
    (errors.InvalidInput, 400, "invalid-input", "Invalid input"),
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.Conflict, 409, "conflict", "Conflict"),
    (errors.PermissionDenied, 403, "permission-denied", "Permission denied"),
)


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> Response:
    body = {
        "type": f"https://jiliang.invalid/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status, content_type="application/problem+json")


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested validation detail into field paths."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                path = prefix
            out.extend(_field_errors(value, path))
        return out
    if isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            return [{"field": prefix, "reason": str(v)} for v in detail]
        out = []
        for i, value in enumerate(detail):
            out.extend(_field_errors(value, f"{prefix}[{i}]"))
        return out
    return [{"field": prefix, "reason": str(detail)}]


def http_status(exc: errors.JiliangError) -> int:
    """The HTTP status of a domain error's category (web pages answer with it too)."""
    return next((status for cls, status, _, _ in _STATUS if isinstance(exc, cls)), 400)


def domain_problem(exc: errors.JiliangError) -> Response:
    for cls, status, slug, title in _STATUS:
        if isinstance(exc, cls):
            extra: dict[str, Any] = {}
            if isinstance(exc, errors.InvalidInputs):
                extra["errors"] = [{"field": e.field, "reason": e.reason} for e in exc.errors]
            elif isinstance(exc, errors.InvalidInput):
                extra["errors"] = [{"field": exc.field, "reason": exc.reason}]
            return problem(status, slug, title, str(exc), **extra)
    return problem(400, "error", "Error", str(exc))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, errors.JiliangError):
        return domain_problem(exc)
    if isinstance(exc, drf.ValidationError):
        fields = _field_errors(exc.detail)
        detail = "; ".join(f"{f['field']}: {f['reason']}" if f["field"] else f["reason"] for f in fields)
        return problem(400, "invalid-input", "Invalid input", detail, errors=fields)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
    slug = getattr(exc, "default_code", "error")
    title = str(getattr(exc, "default_detail", "Error"))
    out = problem(response.status_code, str(slug).replace("_", "-"), title, str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            out[header] = response[header]
    return out
