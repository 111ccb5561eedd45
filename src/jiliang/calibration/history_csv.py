"""A calibration history as CSV, the layout a laboratory fills in a spreadsheet (issue 5, item 5;
docs/import.md, "Records as CSV").

One row per measurement point. The record's columns are repeated on each row of its certificate;
rows with the same ``issuer`` and ``certificate_number`` are one record (in file order, wherever
they are), and a record column that differs between them is an error naming line and column. The
rows become the same JSON objects a JSON Lines file holds and go through the same checks
(:class:`jiliang.calibration.history_check.Checker`), so the two formats cannot drift: every
scalar member of a record or a point is a column of the same name, and the nested ones are
flattened as follows.

* the instrument: ``manufacturer``, ``model``, ``serial_number``;
* ``supersedes``: the number, and ``supersedes_issuer`` (empty: the record's own issuer);
* a point's ``standards``: ``standards`` holds ``;``-separated entries ``STANDARD``,
  ``STANDARD @ CERTIFICATE`` or ``STANDARD @ CERTIFICATE @ ISSUER``; ``reference_materials``
  holds ``;``-separated GBW numbers.

The text is UTF-8 (a byte-order mark, as Excel writes it, is allowed); other encodings are refused
with the line of the first byte that is not UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jiliang.calibration.history_check import POINT_MEMBERS, RECORD_MEMBERS, RECORD_TYPE, Place
from jiliang.errors import InvalidInput

ITEM_COLUMNS = ("manufacturer", "model", "serial_number")
_SCALARS = tuple(sorted(RECORD_MEMBERS - {"instrument", "results", "supersedes"}))
RECORD_COLUMNS = (*_SCALARS, *ITEM_COLUMNS, "supersedes", "supersedes_issuer")
_POINT_SCALARS = tuple(sorted(POINT_MEMBERS - {"standards"}))
POINT_COLUMNS = (*_POINT_SCALARS, "standards", "reference_materials")
COLUMNS = frozenset(RECORD_COLUMNS + POINT_COLUMNS)
REQUIRED_COLUMNS = (
    "kind", "issuer", "certificate_number", "area", "performer", "calibration_date",
    "quantity", "unit", "nominal_value", "measured_value", "expanded_uncertainty", "coverage_factor",
)  # fmt: skip
MARKER = "measured_value"  # a CSV whose header has this column is a history (no registry type has it)
SEPARATOR, AT = ";", "@"

Item = tuple[int, Any, Place | None]  # (line, JSON object or InvalidInput, where its members are)


def is_history(path: Path) -> bool:
    """Whether the header of the CSV file ``path`` names the :data:`MARKER` column."""
    try:
        with path.open("rb") as fh:
            first = fh.readline().decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    header = next(csv.reader([first]), [])
    return MARKER in (h.strip() for h in header)


def column(where: str) -> str:
    """The CSV column a member path of the JSON object comes from."""
    head, _, rest = where.partition(".")
    if head.startswith("results["):
        name = rest.split(".", 1)[0].split("[", 1)[0]
        if name == "standards":
            return "reference_materials" if rest.endswith(".reference_material") else "standards"
        return name
    if head == "instrument":
        return "serial_number"
    if head == "supersedes":
        return "supersedes_issuer" if rest == "issuer" else "supersedes"
    return head


def records(path: Path) -> Iterator[Item]:
    """The records of the CSV file ``path`` as JSON objects, in the order of their first rows;
    problems of the CSV itself come as :class:`InvalidInput` items."""
    text = _text(path)
    if not isinstance(text, str):
        yield text[0], text[1], None
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield 1, InvalidInput("", _("malformed CSV (%(detail)s)") % {"detail": exc}), None
        return
    problems = _header(header)
    if problems:
        yield from ((1, p, None) for p in problems)
        return
    groups: dict[tuple[str, str] | int, list[tuple[int, dict[str, str]]]] = {}
    for line, values in _rows(reader, header):
        if isinstance(values, InvalidInput):
            yield line, values, None
            continue
        issuer, number = values.get("issuer", ""), values.get("certificate_number", "")
        key: tuple[str, str] | int = (issuer, number) if issuer and number else line
        groups.setdefault(key, []).append((line, values))
    for rows in groups.values():
        yield from _record(rows, has_type="type" in header)


def _text(path: Path) -> str | tuple[int, InvalidInput]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = _("cannot read %(path)s: %(detail)s") % {"path": path, "detail": exc.strerror}
        raise InvalidInput("file", reason) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line = raw[:at].count(b"\n") + 1
        reason = _(
            "not UTF-8 text (byte 0x%(byte)02X at offset %(offset)s); save the spreadsheet as "
            "'CSV UTF-8' (a GBK or GB 18030 file must be converted first)"
        )
        return line, InvalidInput("file", reason % {"byte": raw[at], "offset": at})


def _header(header: list[str]) -> list[InvalidInput]:
    problems = [InvalidInput(name or "header", _("unknown column")) for name in header if name not in COLUMNS]
    problems += [
        InvalidInput("header", _("column %(name)s appears twice") % {"name": n})
        for n in sorted(set(header))
        if header.count(n) > 1
    ]
    problems += [
        InvalidInput(name, _("required column missing")) for name in REQUIRED_COLUMNS if name not in header
    ]
    return problems


def _rows(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str] | InvalidInput]]:
    """Rows as ``{column: stripped value}``, each with the line it starts on."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, InvalidInput("", _("malformed CSV (%(detail)s)") % {"detail": exc})
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            reason = _("has %(fields)s fields, the header has %(columns)s")
            yield start, InvalidInput("", reason % {"fields": len(row), "columns": len(header)})
            continue
        yield start, {name: cell.strip() for name, cell in zip(header, row, strict=True)}


def _record(rows: list[tuple[int, dict[str, str]]], *, has_type: bool) -> Iterator[Item]:
    """One record from its rows: the record columns of the first row (the others must repeat
    them), a point per row."""
    line, first = rows[0]
    for at, values in rows[1:]:
        for name in RECORD_COLUMNS:
            if values.get(name, "") != first.get(name, ""):
                reason = _(
                    "differs from line %(line)s of the same certificate (%(there)r there, %(here)r here); "
                    "repeat the record's columns on each of its rows"
                ) % {"line": line, "there": first.get(name, ""), "here": values.get(name, "")}
                yield at, InvalidInput(name, reason), None
    data: dict[str, Any] = {name: first[name] for name in _SCALARS if first.get(name)}
    if not has_type:
        data["type"] = RECORD_TYPE
    if any(first.get(name) for name in ITEM_COLUMNS):
        data["instrument"] = {name: first.get(name, "") for name in ITEM_COLUMNS}
    if first.get("supersedes_issuer"):
        data["supersedes"] = {"issuer": first["supersedes_issuer"], "number": first.get("supersedes", "")}
    elif first.get("supersedes"):
        data["supersedes"] = first["supersedes"]
    data["results"] = []
    for at, values in rows:
        point, problems = _point(values)
        yield from ((at, p, None) for p in problems)
        data["results"].append(point)
    yield line, data, Place(line, tuple(at for at, _values in rows), column)


def _point(values: dict[str, str]) -> tuple[dict[str, Any], list[InvalidInput]]:
    point: dict[str, Any] = {name: values[name] for name in _POINT_SCALARS if values.get(name)}
    used: list[dict[str, Any]] = []
    problems = []
    for entry in _split(values.get("standards", "")):
        parts = [p.strip() for p in entry.split(AT)]
        if len(parts) > 3 or not all(parts):
            reason = _("%(entry)r: write STANDARD, STANDARD @ CERTIFICATE or STANDARD @ CERTIFICATE @ ISSUER")
            problems.append(InvalidInput("standards", reason % {"entry": entry}))
        elif len(parts) == 1:
            used.append({"standard": parts[0]})
        elif len(parts) == 2:
            used.append({"standard": parts[0], "certificate": parts[1]})
        else:
            used.append({"standard": parts[0], "certificate": {"number": parts[1], "issuer": parts[2]}})
    used += [{"reference_material": number} for number in _split(values.get("reference_materials", ""))]
    if used:
        point["standards"] = used
    return point, problems


def _split(cell: str) -> list[str]:
    return [entry.strip() for entry in cell.split(SEPARATOR) if entry.strip()]
