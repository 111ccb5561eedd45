"""The scalar values of a history file (issue 5, item 5): texts, dates and numbers, each checked
with its reason worded in the active language (the command's ``--language``), and the words that
place an error (``line N``) or name a key that finds nothing. The limits are the
registry import's (:mod:`jiliang.registry.bulk.convert`: a number fits ``DecimalField(30, 12)``);
see :mod:`.history_check`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiliang.registry.bulk.convert import _MAX_INT_DIGITS, _MAX_PLACES

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


def at_line(line: int) -> str:
    """``line N`` in the active language: where an error or a finding of the file is."""
    return _("line %(line)s") % {"line": line}


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
    if not isinstance(value, str):
        reason = _("must be a date as text (YYYY-MM-DD), got %(type)s") % {"type": type(value).__name__}
        problems.append((name, reason))
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append((name, _("%(value)r is not a date YYYY-MM-DD") % {"value": value}))
        return None


def number(value: Any) -> Decimal:
    """``value`` as a Decimal that fits the database, else ValueError with the reason."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(_("must be a number, got %(type)s") % {"type": type(value).__name__})
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number") % {"value": value}) from None
    if not result.is_finite():
        raise ValueError(_("must be finite"))
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -_MAX_PLACES and result != result.quantize(Decimal(1).scaleb(-_MAX_PLACES)):
        raise ValueError(_("more than %(places)s decimal places") % {"places": _MAX_PLACES})
    if result.adjusted() >= _MAX_INT_DIGITS:
        raise ValueError(
            _("more than %(digits)s digits before the decimal point") % {"digits": _MAX_INT_DIGITS}
        )
    return result
