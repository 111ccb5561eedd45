"""Write validated rows: PostgreSQL ``COPY`` or SQLite ``executemany`` for the large types,
``bulk_create`` where new ids are needed (institutions, specifications, people with items)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection

from jiliang.registry.bulk.check import Pending
from jiliang.registry.bulk.columns import RecordType

_FAST = {"instrument", "standard", "reference_material", "authorisation"}
# From this many rows on, indexes and foreign-key/unique constraints are dropped before loading and
# rebuilt after it, in the same transaction (PostgreSQL manual, "Populating a Database": building
# an index or validating a constraint once over the loaded table is much faster than maintaining
# it row by row). A failed rebuild (a duplicate, a dangling reference) rolls everything back.
# The table is locked (ACCESS EXCLUSIVE on PostgreSQL) until the import commits.
REBUILD_FROM = 50_000


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
        table = record_type.model._meta.db_table
        if len(rows) >= REBUILD_FROM:
            with rebuilt_afterwards(table):
                _insert_fast(table, columns, rows)
        else:
            _insert_fast(table, columns, rows)
        return []
    return _bulk_create(record_type, rows, m2m)


def _insert_fast(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    # The raw DB-API cursor is used for speed; wrap its errors as Django's (IntegrityError, ...).
    with connection.cursor() as cursor, connection.wrap_database_errors:
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


@contextmanager
def rebuilt_afterwards(table: str) -> Iterator[None]:
    """Drop ``table``'s secondary indexes (and on PostgreSQL its foreign-key and unique
    constraints), run the body, then recreate them exactly as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this transaction may have deferred checks queued; run them now
            # (ALTER TABLE refuses a table with pending trigger events).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
            indexes = cursor.fetchall()
        else:
            constraints = []
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for name, _ in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Fresh planner statistics, so that the first queries after a large load use the indexes.
        cursor.execute(f"ANALYZE {quote(table)}")


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
