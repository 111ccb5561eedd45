"""The scalar values of a history file (issue 5, item 5): texts, dates and numbers, each checked
with its reason worded in the active language (the command's ``--language``), and the words that
place an error (``line N``) or name a key that finds nothing. Dates, numbers and ``line N`` are
the registry import's own checks (:mod:`jiliang.registry.bulk.convert`: a number fits
``DecimalField(30, 12)``); see :mod:`.history_check`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiliang.registry.bulk.check import at_line
from jiliang.registry.bulk.convert import to_date, to_decimal

__all__ = ["at_line", "number", "text", "unknown", "when"]

Problems = list[tuple[str, str]]  # (member path, reason)

# "unknown KIND 'KEY'", one sentence per kind of key (translated whole, not from a noun).
_UNKNOWN = {
    "institution": gettext_noop("unknown institution %(key)r"),
    "measurement area": gettext_noop("unknown measurement area %(key)r"),
    "specification": gettext_noop("unknown specification %(key)r"),
    "instrument": gettext_noop("unknown instrument %(key)r"),
    "measurement standard": gettext_noop("unknown measurement standard %(key)r"),
    "reference material": gettext_noop("unknown reference material %(key)r"),
}


def unknown(what: str, key: Any) -> str:
    """``unknown WHAT 'KEY'``: a key of the file that names nothing of that kind."""
    return _(_UNKNOWN[what]) % {"key": key}


def text(
    data: dict[str, Any], name: str, limit: int, problems: Problems, *, required: bool = False, at: str = ""
) -> str:
    """The text member ``name`` of ``data`` (``at``: the path of ``data`` in the record)."""
    value, where = data.get(name), at + name
    if value is None or value == "":
        if required:
            problems.append((where, _("required")))
        return ""
    if not isinstance(value, str):
        problems.append((where, _("must be text, got %(type)s") % {"type": type(value).__name__}))
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.append((where, _("longer than %(limit)s characters") % {"limit": limit}))
    return value


def when(data: dict[str, Any], name: str, problems: Problems, *, required: bool = False) -> date | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            problems.append((name, _("required")))
        return None
    try:
        return to_date(value)
    except ValueError as exc:
        problems.append((name, str(exc)))
        return None


# A number of the file: the registry import's check (the same limits and reasons).
number = to_decimal
