"""Read registry records from CSV or JSON Lines, one :class:`Raw` (or :class:`Bad`) per record.

CSV: a header row, then one record per row. A ``type`` column names each row's record type
(mixed files: leave the columns of other types empty), or the whole file is of one type given by
the caller or by the file name (``instruments.csv``). JSON Lines: one object per line with a
``type`` member. Line numbers count from 1 and include the CSV header. Reasons are worded in the
active language (the command's ``--language``), when the records are read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jiliang.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Raw:
    line: int
    type: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Bad:
    line: int
    field: str
    reason: str


def file_format(path: Path, fmt: str | None) -> str:
    fmt = fmt or {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(path.suffix.lower(), "")
    if fmt not in {"csv", "jsonl"}:
        reason = _("%(name)s: say --format csv or --format jsonl (unknown suffix)") % {"name": path.name}
        raise InvalidInput("file", reason)
    return fmt


def type_from_name(path: Path, known: set[str]) -> str:
    """``instruments.csv`` and ``instrument.csv`` are files of type ``instrument``."""
    stem = path.stem.lower().replace("-", "_")
    for candidate in (stem, stem.removesuffix("s"), stem.removesuffix("es")):
        if candidate in known:
            return candidate
    return ""


def read(path: Path, fmt: str, default_type: str) -> Iterator[Raw | Bad]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from (_csv(fh, default_type) if fmt == "csv" else _jsonl(fh))
    except UnicodeDecodeError as exc:
        yield Bad(
            0,
            "file",
            _("not UTF-8 text (%(detail)s at byte %(byte)s)") % {"detail": exc.reason, "byte": exc.start},
        )
    except OSError as exc:
        raise InvalidInput(
            "file", _("cannot read %(path)s: %(detail)s") % {"path": path, "detail": exc.strerror}
        ) from exc


def _csv(fh: Any, default_type: str) -> Iterator[Raw | Bad]:
    reader = csv.reader(fh, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield Bad(1, "header", _("malformed CSV: %(detail)s") % {"detail": exc})
        return
    if len(set(header)) != len(header):
        yield Bad(1, "header", _("a column name appears twice"))
        return
    has_type = "type" in header
    if not has_type and not default_type:
        yield Bad(1, "type", _("no type column: add one, name the type, or name the file after it"))
        return
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Bad(reader.line_num, "", _("malformed CSV: %(detail)s") % {"detail": exc})
            return
        if not row:
            continue
        if len(row) != width:
            reason = _("has %(fields)s fields, the header has %(columns)s") % {
                "fields": len(row),
                "columns": width,
            }
            yield Bad(reader.line_num, "", reason)
            continue
        values = dict(zip(header, row, strict=True))
        kind = values.pop("type").strip() if has_type else default_type
        yield Raw(reader.line_num, kind, values)


def _jsonl(fh: Any) -> Iterator[Raw | Bad]:
    for number, text in enumerate(fh, start=1):
        if not text.strip():
            continue
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            reason = _("malformed JSON: %(detail)s at column %(column)s") % {
                "column": exc.colno,
                "detail": exc.msg,
            }
            yield Bad(number, "", reason)
            continue
        if not isinstance(values, dict):
            yield Bad(number, "", _("each line must be a JSON object"))
            continue
        kind = values.pop("type", "")
        if not isinstance(kind, str) or not kind:
            yield Bad(number, "type", _("missing: each record names its type"))
            continue
        yield Raw(number, kind, values)
