"""Checking a file of calibration and verification records line by line (issue 5, item 5): the
types, references and rules of each record, collected as ``line N: field: reason`` errors, and
the statements computed by :mod:`jiliang.conformity`. Records come as JSON objects, from JSON
Lines or converted from CSV rows (:mod:`.history_csv`), so both formats pass the same checks; a
:class:`Place` turns a member's path into the line and column it came from. Links between records
(certificates used, ``supersedes``) are resolved once every record is read (:mod:`.history_links`).
Nothing here writes; see :mod:`.history`."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiliang.calibration.choices import RecordKind, RecordStatus
from jiliang.calibration.decisions import Point, decide
from jiliang.calibration.history_keys import Lookups
from jiliang.calibration.history_values import at_line, number, text, unknown, when
from jiliang.conformity import parse_rule
from jiliang.errors import InvalidInput
from jiliang.registry import policy

RECORD_TYPE = "record"
MAX_ERRORS = 100
_STATUSES = (RecordStatus.ISSUED, RecordStatus.SUPERSEDED, RecordStatus.REVOKED)
_RESULT_NUMBERS = (
    "nominal_value", "measured_value", "as_found_value", "expanded_uncertainty", "coverage_factor",
    "coverage_probability", "tolerance_lower", "tolerance_upper",
)  # fmt: skip
_REQUIRED_NUMBERS = ("nominal_value", "measured_value", "expanded_uncertainty", "coverage_factor")
_TEXTS = {"temperature": 40, "humidity": 40, "conditions": 300, "cipm_mra_reference": 100}
# The members each object may carry: anything else is refused (a misspelt tolerance would
# otherwise be dropped silently).
RECORD_MEMBERS = frozenset({
    "type", "kind", "issuer", "certificate_number", "instrument", "standard", "area", "specification",
    "performer", "checker", "calibration_date", "issue_date", "valid_until", "decision_rule", "status",
    "revocation_reason", "results", "supersedes", *_TEXTS,
})  # fmt: skip
POINT_MEMBERS = frozenset({"quantity", "unit", "decision", "standards", *_RESULT_NUMBERS})
USE_MEMBERS = frozenset({"standard", "reference_material", "certificate"})


def _unknown(
    data: dict[str, Any], allowed: frozenset[str], where: str, problems: list[tuple[str, str]]
) -> None:
    for name in sorted(set(data) - allowed):
        problems.append((f"{where}{name}", _("unknown member")))


def _same(where: str) -> str:
    return where


_POINT = re.compile(r"results\[(\d+)\]")
_BAD_RULE = gettext_noop(
    "%(rule)r is not a decision rule: use simple, guarded:R, guarded-rejection:R or nonbinary[:R] "
    "(R a number >= 0)"
)


@dataclass(frozen=True)
class Place:
    """Where a record is in its file. JSON Lines: one line, and a member is named by its path
    (``results[1].measured_value``). CSV: one line per point, and ``column`` names the column a
    path came from (:func:`jiliang.calibration.history_csv.column`)."""

    line: int
    point_lines: tuple[int, ...] = ()
    column: Callable[[str], str] = _same

    def of(self, where: str) -> tuple[int, str]:
        point = _POINT.match(where)
        line = self.line
        if point and int(point[1]) < len(self.point_lines):
            line = self.point_lines[int(point[1])]
        return line, self.column(where)


@dataclass
class Row:
    """One checked record, ready to write."""

    line: int
    fields: dict[str, Any]
    results: list[dict[str, Any]]
    usages: list[list[dict[str, Any]]]  # per result: standard_id / reference_material_id / certificate
    place: Place = field(default_factory=lambda: Place(0))
    supersedes_ref: tuple[int | None, str] | None = None  # (issuer or None for the record's own, number)
    supersedes_key: tuple[int, str] | None = None  # resolved: (issuer, number) of the superseded record


def lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for line, content in enumerate(fh, start=1):
                if not content.strip():
                    continue
                try:
                    yield line, json.loads(content)
                except json.JSONDecodeError as exc:
                    reason = _("malformed JSON at column %(column)s (%(detail)s)")
                    yield line, InvalidInput("", reason % {"column": exc.colno, "detail": exc.msg})
    except UnicodeDecodeError as exc:
        reason = _("not UTF-8 text (byte 0x%(byte)02X); save the file as UTF-8")
        yield 0, InvalidInput("file", reason % {"byte": exc.object[exc.start]})
    except OSError as exc:
        reason = _("cannot read %(path)s: %(detail)s") % {"path": path, "detail": exc.strerror}
        raise InvalidInput("file", reason) from exc


class Checker:
    def __init__(self, actor: policy.Actor) -> None:
        self.actor = actor
        self.keys = Lookups()
        self.rows: list[Row] = []
        self.errors: list[InvalidInput] = []
        self.error_count = 0
        self.in_file: dict[tuple[int, str], int] = {}  # (issuer, number) -> line

    def error(self, line: int, where: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            at = at_line(line)
            self.errors.append(InvalidInput(f"{at}: {where}" if where else at, reason))

    def report(self, place: Place, where: str, reason: str) -> None:
        """An error at the member ``where`` of the record at ``place``."""
        self.error(*place.of(where), reason)

    def add(self, line: int, data: Any, place: Place | None = None) -> None:
        place = place or Place(line)
        if isinstance(data, InvalidInput):
            self.error(line, data.field, data.reason)
            return
        if not isinstance(data, dict):
            self.error(line, "", _("each line must be a JSON object"))
            return
        if data.get("type") != RECORD_TYPE:
            reason = _("must be %(type)r (registry rows go in a file of their own)") % {"type": RECORD_TYPE}
            self.error(line, "type", reason)
            return
        problems: list[tuple[str, str]] = []
        row = _record(line, data, self.keys, problems)
        row.place = place
        key = (row.fields["institution_id"], row.fields["certificate_number"])
        if key[0] is not None and key[1]:
            if key in self.in_file:
                reason = _("duplicate of line %(line)s") % {"line": self.in_file[key]}
                problems.append(("certificate_number", reason))
            elif key in self.keys.certificates:
                reason = _("this issuer already has a record with this number")
                problems.append(("certificate_number", reason))
            else:
                self.in_file[key] = line
        for where, reason in problems:
            self.report(place, where, reason)
        if not problems:
            self.rows.append(row)


def _key(
    table: dict[Any, int], key: Any, name: str, what: str, problems: list[tuple[str, str]]
) -> int | None:
    if key is None or key == "":
        problems.append((name, _("required")))
        return None
    found = table.get(key if not isinstance(key, str) else key.strip())
    if found is None:
        problems.append((name, unknown(what, key)))
    return found


def _record(line: int, data: dict[str, Any], keys: Lookups, problems: list[tuple[str, str]]) -> Row:
    _unknown(data, RECORD_MEMBERS, "", problems)
    kind = data.get("kind")
    if kind not in RecordKind.values:
        reason = _("%(value)r is not one of %(choices)s") % {
            "value": kind,
            "choices": ", ".join(RecordKind.values),
        }
        problems.append(("kind", reason))
    issuer = _key(keys.institutions, data.get("issuer"), "issuer", "institution", problems)
    fields: dict[str, Any] = {
        "kind": kind, "institution_id": issuer,
        "certificate_number": text(data, "certificate_number", 60, problems, required=True),
        "area_id": _key(keys.areas, data.get("area"), "area", "measurement area", problems),
        "calibration_date": when(data, "calibration_date", problems, required=True),
        "issue_date": when(data, "issue_date", problems), "valid_until": when(data, "valid_until", problems),
        "decision_rule": text(data, "decision_rule", 40, problems) or "simple",
        **{name: text(data, name, limit, problems) for name, limit in _TEXTS.items()},
    }  # fmt: skip
    _item(data, keys, fields, problems)
    if data.get("specification"):
        fields["specification_id"] = _key(
            keys.specifications, data["specification"], "specification", "specification", problems
        )
    for role in ("performer", "checker"):
        if role == "performer" or data.get(role):
            fields[f"{role}_id"] = _person(data.get(role), issuer, keys, role, problems)
    if fields.get("checker_id") and fields["checker_id"] == fields.get("performer_id"):
        problems.append(("checker", _("the checker must be a different person from the performer")))
    _lifecycle(data, fields, problems)
    supersedes = _supersedes(data.get("supersedes"), keys, problems)
    on, until = fields["calibration_date"], fields["valid_until"]
    if on and until and until < on:
        problems.append(("valid_until", _("is before calibration_date")))
    try:
        parse_rule(fields["decision_rule"])
    except InvalidInput:  # the core words its reasons in English: one sentence for all of them
        problems.append(("decision_rule", _(_BAD_RULE) % {"rule": fields["decision_rule"]}))
    results, usages = _results(data.get("results"), fields, keys, problems)
    return Row(line, fields, results, usages, supersedes_ref=supersedes)  # complete only without problems


def _supersedes(value: Any, keys: Lookups, problems: list[tuple[str, str]]) -> tuple[int | None, str] | None:
    """The certificate a record replaces: its number (the record's own issuer), or
    ``{"issuer": credit code, "number": ...}``; resolved by :mod:`.history_links`."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return None, value.strip()
    if not isinstance(value, dict):
        problems.append(("supersedes", _("a certificate number, or an object with issuer and number")))
        return None
    _unknown(value, frozenset({"issuer", "number"}), "supersedes.", problems)
    number = value.get("number")
    if not isinstance(number, str) or not number.strip():
        problems.append(("supersedes.number", _("required: the number of the certificate replaced")))
        return None
    issuer = None
    if value.get("issuer") not in (None, ""):
        issuer = _key(keys.institutions, value["issuer"], "supersedes.issuer", "institution", problems)
    return issuer, number.strip()


def _item(
    data: dict[str, Any], keys: Lookups, fields: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    instrument, standard = data.get("instrument"), data.get("standard")
    if (instrument is None) == (standard is None):
        reason = _("give the item calibrated: an instrument or a standard (one of them)")
        problems.append(("instrument", reason))
    elif instrument is not None:
        if not isinstance(instrument, dict):
            reason = _("must be an object with manufacturer, model and serial_number")
            problems.append(("instrument", reason))
            return
        key = tuple(str(instrument.get(k, "")).strip() for k in ("manufacturer", "model", "serial_number"))
        fields["instrument_id"] = _key(keys.instruments, key, "instrument", "instrument", problems)
    else:
        fields["standard_id"] = _key(
            keys.standards, str(standard), "standard", "measurement standard", problems
        )


def _person(
    value: Any, issuer: int | None, keys: Lookups, role: str, problems: list[tuple[str, str]]
) -> int | None:
    """A person by registration number, else by name among the issuer's people."""
    if not isinstance(value, str) or not value.strip():
        problems.append((role, _("required: a registration number or a name of the issuer's staff")))
        return None
    value = value.strip()
    if value in keys.registrations:
        return keys.registrations[value]
    found = keys.people.get((issuer or 0, value), [])
    if len(found) != 1:
        reason = (
            _("no person with registration number %(value)r, nor one named so at the issuer")
            if not found
            else _("two people named %(value)r at the issuer; give the registration number")
        )
        problems.append((role, reason % {"value": value}))
        return None
    return found[0]


def _lifecycle(data: dict[str, Any], fields: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    status = data.get("status") or RecordStatus.ISSUED
    if status not in _STATUSES:
        choices = ", ".join(_STATUSES)
        problem = _("%(value)r is not one of %(choices)s (a history holds issued records)")
        problems.append(("status", problem % {"value": status, "choices": choices}))
    reason = text(data, "revocation_reason", 300, problems)
    if status == RecordStatus.REVOKED and not reason:
        problems.append(("revocation_reason", _("say why the record was revoked")))
    fields["status"], fields["revocation_reason"] = status, reason


def _results(
    raw: Any, fields: dict[str, Any], keys: Lookups, problems: list[tuple[str, str]]
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    if not isinstance(raw, list) or not raw:
        problems.append(("results", _("a record needs at least one measurement point (a non-empty list)")))
        return [], []
    results, usages = [], []
    for i, point in enumerate(raw):
        where = f"results[{i}]"
        if not isinstance(point, dict):
            problems.append((where, _("must be an object")))
            continue
        _unknown(point, POINT_MEMBERS, f"{where}.", problems)
        result = {"position": i + 1, "quantity": text(point, "quantity", 100, problems, required=True, at=f"{where}."),
                  "unit": text(point, "unit", 40, problems, required=True, at=f"{where}.")}  # fmt: skip
        for name in _RESULT_NUMBERS:
            value = point.get(name)
            if value is None or value == "":
                if name in _REQUIRED_NUMBERS:
                    problems.append((f"{where}.{name}", _("required")))
                result[name] = Decimal("0.9545") if name == "coverage_probability" else None
                continue
            try:
                result[name] = number(value)
            except ValueError as exc:
                problems.append((f"{where}.{name}", str(exc)))
        if not any(p[0].startswith(where) for p in problems):
            _judge(point, result, fields, where, problems)
        usages.append(_standards(point.get("standards"), keys, f"{where}.standards", problems))
        results.append(result)
    return results, usages


def _judge(
    point: dict[str, Any],
    result: dict[str, Any],
    fields: dict[str, Any],
    where: str,
    problems: list[tuple[str, str]],
) -> None:
    """Positive U, k and p in (0, 1); the statement computed by the decision rule, which a
    statement given in the file must equal."""
    if result["expanded_uncertainty"] <= 0 or result["coverage_factor"] <= 0:
        problems.append((f"{where}.expanded_uncertainty", _("U and k must be positive")))
        return
    if not 0 < result["coverage_probability"] < 1:
        problems.append((f"{where}.coverage_probability", _("must be between 0 and 1")))
        return
    result["decision"], result["accepted"], result["as_found_decision"] = "", None, ""
    lower, upper = result["tolerance_lower"], result["tolerance_upper"]
    if lower is None and upper is None:
        if fields["kind"] == RecordKind.VERIFICATION:
            reason = _("a verification judges every point against the MPE")
            problems.append((f"{where}.tolerance_lower", reason))
        return
    if lower is not None and upper is not None and lower >= upper:
        reason = _("the lower limit %(lower)s must be below the upper limit %(upper)s")
        problems.append((f"{where}.tolerance_lower", reason % {"lower": lower, "upper": upper}))
        return
    point_ = Point(
        float(result["nominal_value"]), float(result["measured_value"]), float(result["expanded_uncertainty"]),
        float(result["coverage_factor"]), None if lower is None else float(lower), None if upper is None else float(upper),
    )  # fmt: skip
    try:
        result["decision"], result["accepted"] = decide(point_, fields["decision_rule"])
        if result["as_found_value"] is not None:
            as_found = dataclasses.replace(point_, measured=float(result["as_found_value"]))
            result["as_found_decision"] = decide(as_found, fields["decision_rule"])[0]
    except InvalidInput as exc:  # the core's reason (English) names a case the checks above leave
        if exc.field == "rule":
            return  # reported once, at decision_rule
        reason = (
            _("the guard band of %(rule)s leaves no acceptance interval: 2w exceeds TU − TL")
            % {"rule": fields["decision_rule"]}
            if exc.field == "guard_band"
            else exc.reason
        )
        problems.append((f"{where}.{exc.field}", reason))
        return
    given = point.get("decision")
    if given not in (None, "") and given != result["decision"]:
        reason = _("the file says %(given)r; the numbers give %(computed)r under %(rule)s") % {
            "given": given, "computed": result["decision"], "rule": fields["decision_rule"],
        }  # fmt: skip
        problems.append((f"{where}.decision", reason))


def _standards(raw: Any, keys: Lookups, where: str, problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if raw is None:
        return []  # reported by the guards: a point without a standard cannot be traced
    if not isinstance(raw, list):
        problems.append((where, _("must be a list")))
        return []
    found = []
    for j, used in enumerate(raw):
        at = f"{where}[{j}]"
        if not isinstance(used, dict) or (used.get("standard") is None) == (
            used.get("reference_material") is None
        ):
            problems.append((at, _("an object naming a standard or a reference material (one of them)")))
            continue
        _unknown(used, USE_MEMBERS, f"{at}.", problems)
        if used.get("reference_material") is not None:
            if used.get("certificate"):
                reason = _("a reference material carries no calibration certificate")
                problems.append((f"{at}.certificate", reason))
            pk = _key(
                keys.materials,
                used["reference_material"],
                f"{at}.reference_material",
                "reference material",
                problems,
            )
            found.append({"reference_material_id": pk})
            continue
        usage: dict[str, Any] = {
            "standard_id": _key(
                keys.standards, str(used["standard"]), f"{at}.standard", "measurement standard", problems
            )
        }
        certificate = used.get("certificate")
        if isinstance(certificate, str) and certificate.strip():
            usage["certificate_ref"] = (None, certificate.strip())
        elif isinstance(certificate, dict):
            issuer = _key(
                keys.institutions,
                certificate.get("issuer"),
                f"{at}.certificate.issuer",
                "institution",
                problems,
            )
            usage["certificate_ref"] = (issuer, str(certificate.get("number", "")).strip())
        elif certificate not in (None, ""):
            reason = _("a certificate number, or an object with issuer and number")
            problems.append((f"{at}.certificate", reason))
        found.append(usage)
    return found
