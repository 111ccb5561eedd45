"""Write validated rows: PostgreSQL ``COPY`` or SQLite ``executemany`` for the large types,
``bulk_create`` where new ids are needed (institutions, specifications, people with items)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection

from jiliang.registry.bulk.check import Pending
from jiliang.registry.bulk.columns import RecordType

_FAST = {"instrument", "standard", "reference_material", "authorisation"}


def resolve_pending(rows: list[tuple[Any, ...]], created: dict[str, dict[str, int]]) -> list[tuple[Any, ...]]:
    """Replace references to records created earlier in this import by their new ids."""

    def fix(value: Any) -> Any:
        if isinstance(value, Pending):
            return created[value.kind][value.key]
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return value

    if not created:
        return rows
    return [tuple(fix(v) for v in row) if any(_has_pending(v) for v in row) else row for row in rows]


def _has_pending(value: Any) -> bool:
    return isinstance(value, Pending) or (
        isinstance(value, tuple) and any(isinstance(v, Pending) for v in value)
    )


def write(record_type: RecordType, rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert ``rows`` (in column order); return the new ids when the type needs them."""
    m2m = [i for i, c in enumerate(record_type.columns) if c.kind == "refs"]
    if record_type.name in _FAST and not m2m:
        columns = [c.target for c in record_type.columns]
        _insert_fast(record_type.model._meta.db_table, columns, rows)
        return []
    return _bulk_create(record_type, rows, m2m)


def _insert_fast(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["?" if connection.vendor == "sqlite" else "%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(v.isoformat() if isinstance(v, date) else v for v in row))
            if len(batch) == 10_000:
                raw.executemany(sql, batch)
                batch = []
        if batch:
            raw.executemany(sql, batch)


def _bulk_create(record_type: RecordType, rows: list[tuple[Any, ...]], m2m: list[int]) -> list[int]:
    model = record_type.model
    plain = [(i, c.target) for i, c in enumerate(record_type.columns) if c.kind != "refs"]
    objects = [model(**{name: row[i] for i, name in plain}) for row in rows]
    created = model._default_manager.bulk_create(objects, batch_size=2000)
    ids = [obj.pk for obj in created]
    for i in m2m:
        field = model._meta.get_field(record_type.columns[i].name)
        through = field.remote_field.through  # type: ignore[union-attr]
        source, target = f"{model._meta.model_name}_id", f"{field.related_model._meta.model_name}_id"  # type: ignore[union-attr]
        links = [
            through(**{source: pk, target: t}) for pk, row in zip(ids, rows, strict=True) for t in set(row[i])
        ]
        through.objects.bulk_create(links, batch_size=5000)
    return ids
