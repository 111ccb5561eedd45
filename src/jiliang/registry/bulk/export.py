"""Export registry records in the import's formats (CSV or JSON Lines), so that an export
imports back unchanged (round trip). References are written as natural keys."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from jiliang.errors import InvalidInput
from jiliang.registry.bulk.check import unknown_type
from jiliang.registry.bulk.columns import TYPES, RecordType


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return _text(value)
    return value


def _rows(record_type: RecordType) -> Iterator[list[Any]]:
    """Each record's values in column order; many-to-many columns as lists of natural keys."""
    model = record_type.model
    paths = [c.export_path for c in record_type.columns if c.kind != "refs"]
    m2m = [c for c in record_type.columns if c.kind == "refs"]
    queryset = model._default_manager.order_by("pk")
    if m2m:
        queryset = queryset.prefetch_related(*(c.name for c in m2m))
        for obj in queryset.iterator(chunk_size=2000):
            values = iter(_values(obj, paths))
            yield [
                sorted(r.code for r in getattr(obj, c.name).all()) if c.kind == "refs" else next(values)
                for c in record_type.columns
            ]
        return
    for row in queryset.values_list(*paths).iterator(chunk_size=10_000):
        yield list(row)


def _values(obj: Any, paths: Sequence[str]) -> list[Any]:
    out = []
    for path in paths:
        value = obj
        for part in path.split("__"):
            value = getattr(value, part) if value is not None else None
        out.append(value)
    return out


def selected_types(names: Iterable[str] | None) -> list[RecordType]:
    names = list(names or TYPES)
    unknown = [n for n in names if n not in TYPES]
    if unknown:
        raise InvalidInput("type", unknown_type(unknown[0]))
    return [TYPES[n] for n in TYPES if n in names]


def export_records(out: IO[str], fmt: str, types: Iterable[str] | None = None) -> dict[str, int]:
    """Write the chosen types (all by default) to ``out``; returns the count of each."""
    chosen = selected_types(types)
    counts: dict[str, int] = {}
    if fmt == "jsonl":
        for t in chosen:
            names = [c.name for c in t.columns]
            counts[t.name] = 0
            for row in _rows(t):
                record = {"type": t.name, **{n: _json(v) for n, v in zip(names, row, strict=True)}}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                counts[t.name] += 1
        return counts
    if fmt != "csv":
        raise InvalidInput("format", _("%(format)r: use csv or jsonl") % {"format": fmt})
    header = ["type"] + list(dict.fromkeys(c.name for t in chosen for c in t.columns))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for t in chosen:
        counts[t.name] = 0
        position = [header.index(c.name) for c in t.columns]
        for row in _rows(t):
            line = [""] * len(header)
            line[0] = t.name
            for i, value in zip(position, row, strict=True):
                line[i] = ";".join(value) if isinstance(value, list) else _text(value)
            writer.writerow(line)
            counts[t.name] += 1
    return counts
