"""The impact report of an out-of-tolerance standard or reference material (issue 5, item 4):
fetch the downstream closure in two queries, find the affected results (:mod:`.impact`),
re-evaluate their statements, and list the affected items and owners."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL

from jiliang.calibration.decisions import Point
from jiliang.calibration.models import Record
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.traceability.impact import Error, Row, Window, affected, reevaluate_many
from jiliang.traceability.queries import to_base

_FAR = date(9999, 12, 31)


_CTE = """
    WITH RECURSIVE tainted(id) AS (
        SELECT u.record_id FROM calibration_usage u JOIN calibration_record r ON r.id = u.record_id
        WHERE u.{column} = %s AND r.calibration_date >= %s AND r.calibration_date <= %s
        UNION
        SELECT u.record_id FROM calibration_usage u JOIN tainted t ON u.certificate_id = t.id
    )"""
# Every use of the source or of a downstream certificate by a downstream record; numbers cast to
# floats in the database (the analysis works in floats; Decimal conversion would dominate).
_USES = """
    SELECT u.record_id, u.result_id, CASE WHEN u.{column} = %s THEN 1 ELSE 0 END, u.certificate_id,
           r.calibration_date, r.certificate_number, r.decision_rule, res.unit,
           CAST(res.nominal_value AS DOUBLE PRECISION), CAST(res.measured_value AS DOUBLE PRECISION),
           CAST(res.expanded_uncertainty AS DOUBLE PRECISION), CAST(res.coverage_factor AS DOUBLE PRECISION),
           CAST(res.tolerance_lower AS DOUBLE PRECISION), CAST(res.tolerance_upper AS DOUBLE PRECISION)
    FROM calibration_usage u JOIN tainted t ON t.id = u.record_id
    JOIN calibration_record r ON r.id = u.record_id JOIN calibration_result res ON res.id = u.result_id
    WHERE u.{column} = %s OR u.certificate_id IN (SELECT id FROM tainted)"""


def _cte_params(source_id: int, window: Window) -> list[Any]:
    return [source_id, window.since, window.until or _FAR]


def _closure(column: str, source_id: int, window: Window) -> RawSQL:
    """Ids of every record downstream of the source: used it in the window, or used (at any
    date) a certificate of a record already downstream. ``UNION`` ends cycles."""
    return RawSQL(_CTE.format(column=column) + " SELECT id FROM tainted", _cte_params(source_id, window))


def _uses(column: str, source_id: int, window: Window) -> list[tuple[Any, ...]]:
    sql = _CTE.format(column=column) + _USES.format(column=column)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_cte_params(source_id, window), source_id, source_id])
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][4], str):  # SQLite returns dates of raw queries as text
        rows = [(*r[:4], date.fromisoformat(r[4]), *r[5:]) for r in rows]
    return rows


@dataclass(frozen=True)
class AffectedResult:
    certificate_number: str
    record_id: int
    result_id: int
    depth: int
    unit: str
    nominal_value: float
    decision: str
    new_decision: str
    changed: bool
    note: str


@dataclass(frozen=True)
class AffectedItem:
    kind: str
    id: int
    label: str
    owner_id: int
    owner: str
    certificates: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    source: str
    window: Window
    error: Error | None
    results: tuple[AffectedResult, ...]
    items: tuple[AffectedItem, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jiliang trace impact`` and ``GET /api/traceability/impact/``."""
        return {
            "source": self.source,
            "since": self.window.since.isoformat(),
            "until": self.window.until.isoformat() if self.window.until else None,
            "range": [self.window.low, self.window.high]
            if self.window.low is not None or self.window.high is not None
            else None,
            "error": asdict(self.error) if self.error else None,
            "affected_records": len({r.record_id for r in self.results}),
            "affected_results": len(self.results),
            "changed_decisions": sum(r.changed for r in self.results),
            "max_depth": max((r.depth for r in self.results), default=0),
            "results": [asdict(r) for r in self.results],
            "items": [asdict(i) | {"certificates": list(i.certificates)} for i in self.items],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(AffectedResult.__dataclass_fields__)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in self.results:
            writer.writerow(asdict(r))
        return out.getvalue()


def _factor(unit: str, target: str | None) -> float | None:
    """Multiply a value in ``unit`` by this to express it in ``target`` (1 when no target)."""
    if target is None:
        return 1.0
    a, b = to_base(unit), to_base(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def impact(
    source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    """Everything downstream of ``source`` in ``window`` (2 queries at any depth)."""
    column = "standard_id" if isinstance(source, MeasurementStandard) else "reference_material_id"
    uses = _uses(column, source.pk, window)
    target = error.unit if error else None
    factors = {unit: _factor(unit, target) for unit in {u[7] for u in uses}}
    rows = [
        Row(u[0], u[1], bool(u[2]), u[3], u[4], None if factors[u[7]] is None else u[8] * factors[u[7]]) for u in uses
    ]  # fmt: skip
    depths = affected(rows, window)
    by_result = {u[1]: u for u in uses}
    order = sorted(depths, key=lambda res: (depths[res], by_result[res][0], res))
    results = _reevaluated([by_result[res] for res in order], [depths[res] for res in order], error)
    closure = _closure(column, source.pk, window)
    return ImpactReport(str(source), window, error, results, _items({r.record_id for r in results}, closure))


def _reevaluated(
    uses: list[tuple[Any, ...]], depths: list[int], error: Error | None
) -> tuple[AffectedResult, ...]:
    points = [Point(u[8], u[9], u[10], u[11], u[12], u[13]) for u in uses]
    notes = [_note(u, error) for u in uses]
    todo = [i for i, note in enumerate(notes) if not note]
    statements: dict[int, tuple[str, str]] = {}
    if error is not None and todo:
        factors = [_factor(uses[i][7], error.unit) or 1.0 for i in todo]
        pairs = reevaluate_many(
            [points[i] for i in todo],
            [uses[i][6] for i in todo],
            [error.value / f for f in factors],
            [error.expanded_uncertainty / 2 / f for f in factors],
        )
        statements = dict(zip(todo, pairs, strict=True))
    out = []
    for i, (u, depth) in enumerate(zip(uses, depths, strict=True)):
        before, after = statements.get(i, ("", ""))
        out.append(
            AffectedResult(
                certificate_number=u[5],
                record_id=u[0],
                result_id=u[1],
                depth=depth,
                unit=u[7],
                nominal_value=u[8],
                decision=before,
                new_decision=after,
                changed=bool(before) and before != after,
                note=notes[i],
            )  # fmt: skip
        )
    return tuple(out)


def _note(u: tuple[Any, ...], error: Error | None) -> str:
    if u[12] is None and u[13] is None:
        return "no tolerance: no conformity statement to re-evaluate"
    if error is None:
        return "no as-found error given"
    if _factor(u[7], error.unit) is None:
        return f"unit {u[7]} cannot be compared with {error.unit}"
    return ""


def _items(record_ids: set[int], closure: RawSQL) -> tuple[AffectedItem, ...]:
    records = Record.objects.filter(pk__in=closure).values(
        "id", "certificate_number", "instrument_id", "instrument__manufacturer", "instrument__model",
        "instrument__serial_number", "instrument__owner_id", "instrument__owner__name", "standard_id",
        "standard__name", "standard__owner_id", "standard__owner__name",
    )  # fmt: skip
    items: dict[tuple[str, int], dict[str, Any]] = {}
    for r in records:
        if r["id"] not in record_ids:
            continue
        if r["instrument_id"]:
            label = (
                f"{r['instrument__manufacturer']} {r['instrument__model']} {r['instrument__serial_number']}"
            )
            key, owner = (
                ("instrument", r["instrument_id"]),
                (r["instrument__owner_id"], r["instrument__owner__name"]),
            )
        else:
            key, label = ("standard", r["standard_id"]), r["standard__name"]
            owner = (r["standard__owner_id"], r["standard__owner__name"])
        entry = items.setdefault(key, {"label": label, "owner": owner, "certificates": []})
        entry["certificates"].append(r["certificate_number"])
    return tuple(
        AffectedItem(kind, pk, e["label"], e["owner"][0], e["owner"][1], tuple(sorted(e["certificates"])))
        for (kind, pk), e in sorted(items.items())
    )
