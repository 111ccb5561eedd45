"""Validators for the registry's identifiers. Each returns the canonical form or raises
:class:`jiliang.errors.InvalidInput` naming the field and the reason.

They are plain functions so that the import, the API and the model's ``clean`` share them; the
reasons are worded in the active language (zh-hans or en).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from jiliang.errors import InvalidInput

# GB 32100-2015 clause 4: the 31 characters of the code (no I, O, S, V, Z) in value order.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 clause 5: weights W_i = 3^(i-1) mod 31 for the 17 leading positions.
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_SPEC_CODE = re.compile(
    r"^(?P<series>JJG|JJF)\s*(?:[(（](?P<locality>[\u4e00-\u9fff]{1,2})[)）])?\s*"
    r"(?P<number>\d+(?:\.\d+)*)\s*[-—–]\s*(?P<year>\d{4})$"
)
_GBW = re.compile(r"^GBW\s*(?P<e>[(（]E[)）])?\s*(?P<digits>\d{5,6})(?P<suffix>[a-z]?)$")
_CNAS = re.compile(r"^CNAS\s*(?P<kind>L|IB|RM|PT)\s*(?P<digits>\d{4,5})$")


def credit_code_check_character(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015 clause 5)."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str, field: str = "credit_code") -> str:
    """A unified social credit code (统一社会信用代码): 18 characters, GB 32100-2015 check digit."""
    code = value.strip().upper()
    if len(code) != 18:
        reason = _("a unified social credit code has 18 characters, got %(n)s")
        raise InvalidInput(field, reason % {"n": len(code)})
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARS})
    if bad:
        reason = _("characters not allowed in a unified social credit code: %(characters)s")
        raise InvalidInput(field, reason % {"characters": "".join(bad)})
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        reason = _("check character is %(found)r, GB 32100 gives %(expected)r")
        raise InvalidInput(field, reason % {"found": code[17], "expected": expected})
    return code


def parse_specification_code(value: str, field: str = "code") -> tuple[str, str, str]:
    """Split a JJG/JJF code into (series, locality, canonical code).

    National codes keep a space (``JJG 596-2012``, ``JJF 1059.1-2012``); local ones carry the
    province's abbreviation in brackets without spaces (``JJF(沪)57-2018``).
    """
    match = _SPEC_CODE.match(value.strip())
    if not match:
        raise InvalidInput(
            field, _("%(value)r is not a code like JJG 596-2012 or JJF(沪)57-2018") % {"value": value}
        )
    series, locality = match["series"], match["locality"] or ""
    number, year = match["number"], match["year"]
    canonical = f"{series}({locality}){number}-{year}" if locality else f"{series} {number}-{year}"
    return series, locality, canonical


def validate_specification_code(value: str, field: str = "code") -> str:
    return parse_specification_code(value, field)[2]


def validate_gbw_number(value: str, field: str = "number") -> str:
    """A reference-material number: GBW + 5 digits (primary, 一级) or GBW(E) + 6 digits (二级)."""
    match = _GBW.match(value.strip())
    if not match:
        raise InvalidInput(
            field, _("%(value)r is not a number like GBW 07101 or GBW(E)080123") % {"value": value}
        )
    digits = match["digits"]
    if match["e"]:
        if len(digits) != 6:
            raise InvalidInput(field, _("a GBW(E) number has 6 digits"))
        return f"GBW(E){digits}{match['suffix']}"
    if len(digits) != 5:
        raise InvalidInput(field, _("a GBW number has 5 digits"))
    return f"GBW {digits}{match['suffix']}"


def validate_cnas_number(value: str, field: str = "cnas_number") -> str:
    """A CNAS accreditation number such as ``CNAS L0001`` (laboratory) or ``CNAS RM0001``."""
    if not value.strip():
        return ""
    match = _CNAS.match(value.strip().upper())
    if not match:
        raise InvalidInput(
            field, _("%(value)r is not an accreditation number like CNAS L0001") % {"value": value}
        )
    return f"CNAS {match['kind']}{match['digits']}"
