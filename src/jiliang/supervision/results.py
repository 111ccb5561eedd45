"""Recording in-service inspection results: per sample meter per test point, for a batch of lots.

Every row is checked before any is written (PostgreSQL ``COPY``; SQLite ``bulk_create``); one
audit entry per batch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jiliang.errors import Conflict, InvalidInput, InvalidInputs
from jiliang.registry.bulk.write import _insert_fast
from jiliang.registry.policy import Actor
from jiliang.supervision.choices import LotStatus
from jiliang.supervision.inspection import _audit_batch, _one_fleet, _status
from jiliang.supervision.models import InspectionResult, Lot, SampleMeter
from jiliang.supervision.policy import OPERATE


def record_lot_results(actor: Actor, lots: Sequence[Lot], rows: Sequence[dict[str, Any]]) -> int:
    """Record errors per sample meter per test point for lots under test; each row names a meter
    of one of their samples. Every row is checked before any is written (COPY on PostgreSQL)."""
    fleet = _one_fleet(actor, lots, OPERATE)
    _status(lots, LotStatus.TESTING, "results are recorded while testing")
    members = dict(
        SampleMeter.objects.filter(draw__lot__in=lots, inaccessible=False).values_list(
            "meter__serial_number", "id"
        )
    )
    points, values = list(fleet.test_points), []
    errors: list[InvalidInput] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows):
        value = _result(i, row, members, points, seen, errors)
        if value is not None:
            values.append(value)
    if errors:
        raise InvalidInputs(errors)
    _no_clash(lots, values, members)
    with transaction.atomic():
        _write_results(values, actor.username)
        _audit_batch(actor, "record_results", lots, {"rows": len(values)})
    return len(values)


def record_results(actor: Actor, lot: Lot, rows: Sequence[dict[str, Any]]) -> int:
    return record_lot_results(actor, [lot], rows)


def _write_results(values: list[tuple[int, str, float, float]], by: str) -> None:
    if connection.vendor != "postgresql":
        InspectionResult.objects.bulk_create(
            [
                InspectionResult(
                    member_id=m,
                    test_point=p,
                    error_percent=e,
                    mpe_percent=mpe,
                    conforming=abs(e) <= mpe,
                    recorded_by=by,
                )
                for m, p, e, mpe in values
            ],
            batch_size=2000,
        )
        return
    now = timezone.now()
    _insert_fast(
        InspectionResult._meta.db_table,
        (
            "member_id",
            "test_point",
            "error_percent",
            "mpe_percent",
            "conforming",
            "recorded_at",
            "recorded_by",
        ),
        ((m, p, e, mpe, abs(e) <= mpe, now, by) for m, p, e, mpe in values),
    )


def _no_clash(
    lots: Sequence[Lot], values: list[tuple[int, str, float, float]], members: dict[str, int]
) -> None:
    existing = set(
        InspectionResult.objects.filter(member__draw__lot__in=lots).values_list("member_id", "test_point")
    )
    clash = next((v for v in values if (v[0], v[1]) in existing), None)
    if clash is not None:
        serial = next(s for s, m in members.items() if m == clash[0])
        raise Conflict(f"meter {serial} already has a result at {clash[1]!r}", "test_point")


def _result(
    i: int,
    row: dict[str, Any],
    members: dict[str, int],
    points: list[str],
    seen: set[tuple[str, str]],
    errors: list[InvalidInput],
) -> tuple[int, str, float, float] | None:
    serial, point = str(row.get("serial_number", "")).strip(), str(row.get("test_point", "")).strip()
    member = members.get(serial)
    if member is None:
        errors.append(
            InvalidInput(f"results[{i}].serial_number", f"meter {serial!r} is not in the sample of this lot")
        )
    if points and point not in points:
        errors.append(
            InvalidInput(
                f"results[{i}].test_point",
                f"{point!r} is not a test point of the fleet ({', '.join(points)})",
            )
        )
    elif not point:
        errors.append(InvalidInput(f"results[{i}].test_point", "is required"))
    values = {}
    for name in ("error_percent", "mpe_percent"):
        try:
            values[name] = float(row.get(name))  # type: ignore[arg-type]
            if not math.isfinite(values[name]):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(InvalidInput(f"results[{i}].{name}", f"{row.get(name)!r} is not a finite number"))
    if "mpe_percent" in values and values["mpe_percent"] <= 0:
        errors.append(InvalidInput(f"results[{i}].mpe_percent", "must be positive"))
    if (serial, point) in seen:
        errors.append(
            InvalidInput(f"results[{i}].test_point", f"meter {serial} at {point!r} is listed twice")
        )
    seen.add((serial, point))
    if member is None or len(values) < 2:
        return None
    return member, point, values["error_percent"], values["mpe_percent"]
