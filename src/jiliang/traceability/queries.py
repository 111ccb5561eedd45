"""Fetch a chain or an impact closure with a fixed number of queries, whatever the depth:
a recursive CTE (SQLite and PostgreSQL both have ``WITH RECURSIVE``; ``UNION`` drops repeats, so
a cycle ends the recursion) collects the ids, then one query per table reads the rows.

Third-party DCCs imported for a standard (``certificates.ImportedCertificate``) are nodes too: a
usage that names no certificate traces to the import of its standard whose calibration is the
latest on or before the date of use (or, when none is, the earliest: the link is then reported as
not yet valid), and an import tied to a record in the chain is that record's evidence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from django.db import connection

from jiliang.errors import InvalidInput
from jiliang.registry.choices import AuthorisationActivity, InstitutionKind
from jiliang.traceability.graph import IMPORTED_DCC, Chain, DccEvidence, Link, Node, evaluate
from jiliang.units import to_base

_UP = """
WITH RECURSIVE up(id) AS (
    SELECT id FROM calibration_record WHERE id = %s
    UNION
    SELECT u.certificate_id FROM calibration_usage u JOIN up ON u.record_id = up.id
    WHERE u.certificate_id IS NOT NULL
)"""
# Raw SQL: at a handful of rows per chain, compiling ORM queries would cost more than running them.
_NODES = """
SELECT r.id, r.certificate_number, r.institution_id, i.name, i.kind, i.cnas_number,
       i.accreditation_valid_until, r.kind, r.area_id, r.calibration_date, r.valid_until, r.status,
       r.cipm_mra_reference, s.name, ins.model, ins.serial_number
FROM up JOIN calibration_record r ON r.id = up.id JOIN registry_institution i ON i.id = r.institution_id
LEFT JOIN registry_measurementstandard s ON s.id = r.standard_id
LEFT JOIN registry_instrument ins ON ins.id = r.instrument_id"""
_POINTS = """
SELECT res.record_id, res.unit, CAST(res.nominal_value AS DOUBLE PRECISION),
       CAST(res.expanded_uncertainty AS DOUBLE PRECISION)
FROM up JOIN calibration_result res ON res.record_id = up.id"""
_LINKS = """
SELECT u.record_id, u.certificate_id, s.name, s.level, u.standard_id, res.unit,
       CAST(res.nominal_value AS DOUBLE PRECISION), CAST(res.expanded_uncertainty AS DOUBLE PRECISION)
FROM up JOIN calibration_usage u ON u.record_id = up.id
JOIN registry_measurementstandard s ON s.id = u.standard_id JOIN calibration_result res ON res.id = u.result_id"""
_IMPORTS = """
SELECT c.id, c.standard_id, c.record_id, c.unique_identifier, c.issuer, c.end_performance_date,
       c.valid_until, c.valid, c.signature_status, c.cipm_mra_reference, c.points, c.report, s.name
FROM certificates_importedcertificate c JOIN registry_measurementstandard s ON s.id = c.standard_id
WHERE c.standard_id IN (SELECT u.standard_id FROM up JOIN calibration_usage u ON u.record_id = up.id
                        WHERE u.certificate_id IS NULL AND u.standard_id IS NOT NULL)
   OR c.record_id IN (SELECT id FROM up)"""
_GRANTS = """
SELECT DISTINCT a.institution_id, a.activity, a.area_id, a.valid_from, a.valid_until
FROM up JOIN calibration_record r ON r.id = up.id JOIN registry_authorisation a ON a.institution_id = r.institution_id"""


def _day(value: Any) -> date | None:
    """SQLite returns dates of raw queries as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _fetch(cursor: Any, sql: str, record_id: int) -> list[tuple[Any, ...]]:
    cursor.execute(_UP + sql, [record_id])
    return cursor.fetchall()


def _si(unit: str, nominal: float, u: float) -> tuple[str, float, float] | None:
    """(dimension, nominal, U) in SI base units: the nominal value converts as a value (20 °C is
    293.15 K), U as a difference (1 °C is 1 K). An unknown unit leaves the point out (None)."""
    try:
        base = to_base(unit)
    except InvalidInput:
        return None
    return base.dimension, base.value(nominal), base.difference(u)


def chain(record_id: int) -> Chain:
    """The evaluated chain above one record (5 queries at any depth)."""
    with connection.cursor() as cursor:
        records = [
            (*r[:6], _day(r[6]), *r[7:9], _day(r[9]), _day(r[10]), *r[11:])
            for r in _fetch(cursor, _NODES, record_id)
        ]
        points: dict[int, list[tuple[str, float, float]]] = {}
        for rec, unit, nominal, u in _fetch(cursor, _POINTS, record_id):
            si = _si(unit, nominal, u)
            if si is not None:
                points.setdefault(rec, []).append(si)
        link_rows = _fetch(cursor, _LINKS, record_id)
        imports = [_Import(r) for r in _fetch(cursor, _IMPORTS, record_id)]
        grants = [(g[0], g[1], g[2], _day(g[3]), _day(g[4])) for g in _fetch(cursor, _GRANTS, record_id)]
    nodes = {r[0]: _node(r, points.get(r[0], []), _competent(r, grants)) for r in records}
    dates = {r[0]: r[9] for r in records}
    _attach_evidence(nodes, imports)
    link_rows = _through_imports(link_rows, dates, imports, nodes)
    return evaluate(record_id, nodes, _links(link_rows, dates))


class _Import:
    """One row of ``_IMPORTS``."""

    def __init__(self, r: tuple[Any, ...]) -> None:
        self.id, self.standard, self.record, self.number, self.issuer = r[:5]
        self.calibrated: date | None = _day(r[5])
        self.valid_until: date | None = _day(r[6])
        self.valid, self.signature, self.mra = bool(r[7]), r[8], r[9]
        self.points: list[Any] = json.loads(r[10]) if isinstance(r[10], str) else r[10]
        report = json.loads(r[11]) if isinstance(r[11], str) else r[11]
        self.problem = _first_error(report) if not self.valid else ""
        self.standard_name = r[12]

    def evidence(self) -> DccEvidence:
        return DccEvidence(self.id, self.valid, self.signature, self.problem)

    def node(self) -> Node:
        points = (_si(str(unit), float(value), float(u)) for unit, value, u in self.points)
        return Node(
            id=-self.id,
            certificate_number=self.number,
            issuer=self.issuer,
            item=self.standard_name,
            calibration_date=self.calibrated or date.min,
            valid_until=self.valid_until,
            status="imported",
            competent=True,  # a foreign institute: judged by its CIPM MRA reference, not by our grants
            mra_reference=self.mra,
            points=tuple(p for p in points if p is not None),
            source=IMPORTED_DCC,
            dcc=self.evidence(),
        )


def _first_error(report: Mapping[str, Any]) -> str:
    for finding in report.get("findings", []):
        if finding.get("severity") == "error":
            return f"{finding.get('layer')}: {finding.get('message')}"
    return "invalid"


def _attach_evidence(nodes: dict[int, Node], imports: Iterable[_Import]) -> None:
    """A record in the chain with imported DCCs: its evidence is a valid one if any, else the first."""
    by_record: dict[int, list[_Import]] = {}
    for imp in imports:
        if imp.record is not None and imp.record in nodes:
            by_record.setdefault(imp.record, []).append(imp)
    for rec, found in by_record.items():
        best = next((i for i in found if i.valid), found[0])
        nodes[rec] = replace(nodes[rec], dcc=best.evidence())


def _applicable(found: list[_Import], used_on: date) -> _Import:
    """The import whose calibration is the latest on or before ``used_on`` (else the earliest)."""
    before = [i for i in found if i.calibrated is not None and i.calibrated <= used_on]
    if before:
        return max(before, key=lambda i: (i.calibrated or date.min, i.id))
    return min(found, key=lambda i: (i.calibrated or date.max, i.id))


def _through_imports(
    rows: list[tuple[Any, ...]], dates: Mapping[int, date], imports: list[_Import], nodes: dict[int, Node]
) -> list[tuple[Any, ...]]:
    """Link rows without a certificate point at the applicable import of their standard, which
    becomes a node; the standard id is dropped from the rows."""
    by_standard: dict[int, list[_Import]] = {}
    for imp in imports:
        by_standard.setdefault(imp.standard, []).append(imp)
    out = []
    for record, certificate, name, level, standard, *rest in rows:
        if certificate is None and standard in by_standard:
            chosen = _applicable(by_standard[standard], dates[record])
            nodes.setdefault(-chosen.id, chosen.node())
            certificate = -chosen.id
        out.append((record, certificate, name, level, *rest))
    return out


def _node(r: tuple[Any, ...], points: list[tuple[str, float, float]], competent: bool) -> Node:
    return Node(
        id=r[0],
        certificate_number=r[1],
        issuer=r[3],
        item=r[13] or f"{r[14]} {r[15]}",
        calibration_date=r[9],
        valid_until=r[10],
        status=r[11],
        competent=competent,
        mra_reference=r[12],
        points=tuple(points),
    )


def _links(rows: Iterable[tuple[Any, ...]], dates: Mapping[int, date]) -> list[Link]:
    """One link per (record, standard, certificate), with the smallest U of the points using it."""
    links: dict[tuple[int, str, int | None], Link] = {}
    for record, certificate, name, level, unit, nominal, u in rows:
        point = _si(unit, nominal, u)
        old = links.get((record, name, certificate))
        if old is None or (point is not None and (old.point is None or point[2] < old.point[2])):
            links[(record, name, certificate)] = Link(record, name, level, certificate, dates[record], point)
    return list(links.values())


def _competent(r: tuple[Any, ...], grants: list[tuple[Any, ...]]) -> bool:
    """Was the issuer authorised (or, for a calibration, accredited) for the area on the date?
    A national metrology institute is competent by its designation."""
    institution, kind, cnas, until, record_kind, area, on = r[2], r[4], r[5], r[6], r[7], r[8], r[9]
    activity = (
        AuthorisationActivity.VERIFICATION
        if record_kind == "verification"
        else AuthorisationActivity.CALIBRATION
    )
    authorised = any(
        g[0] == institution and g[1] == activity and g[2] == area and g[3] <= on <= g[4] for g in grants
    )
    accredited = record_kind == "calibration" and bool(cnas) and until is not None and until >= on
    return authorised or accredited or kind == InstitutionKind.NATIONAL_METROLOGY_INSTITUTE
