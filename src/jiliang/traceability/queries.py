"""Fetch a chain or an impact closure with a fixed number of queries, whatever the depth:
a recursive CTE (SQLite and PostgreSQL both have ``WITH RECURSIVE``; ``UNION`` drops repeats, so
a cycle ends the recursion) collects the ids, then one query per table reads the rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection

from jiliang.registry.choices import AuthorisationActivity, InstitutionKind
from jiliang.traceability.graph import Chain, Link, Node, evaluate
from jiliang.units import parse_unit, ureg

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
SELECT u.record_id, u.certificate_id, s.name, s.level, res.unit,
       CAST(res.nominal_value AS DOUBLE PRECISION), CAST(res.expanded_uncertainty AS DOUBLE PRECISION)
FROM up JOIN calibration_usage u ON u.record_id = up.id
JOIN registry_measurementstandard s ON s.id = u.standard_id JOIN calibration_result res ON res.id = u.result_id"""
_GRANTS = """
SELECT DISTINCT a.institution_id, a.activity, a.area_id, a.valid_from, a.valid_until
FROM up JOIN calibration_record r ON r.id = up.id JOIN registry_authorisation a ON a.institution_id = r.institution_id"""


def _day(value: Any) -> date | None:
    """SQLite returns dates of raw queries as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _fetch(cursor: Any, sql: str, record_id: int) -> list[tuple[Any, ...]]:
    cursor.execute(_UP + sql, [record_id])
    return cursor.fetchall()


@lru_cache(maxsize=512)
def to_base(unit: str) -> tuple[str, float] | None:
    """(dimension, factor to SI base units) of a unit, or None if it is not a unit."""
    try:
        quantity = ureg.Quantity(1.0, parse_unit(unit)).to_base_units()
    except Exception:  # an unknown unit leaves the point out of the uncertainty comparison
        return None
    return str(quantity.dimensionality), float(quantity.magnitude)


def _si(unit: str, nominal: float, u: float) -> tuple[str, float, float] | None:
    base = to_base(unit)
    if base is None:
        return None
    return base[0], nominal * base[1], u * base[1]


def chain(record_id: int) -> Chain:
    """The evaluated chain above one record (4 queries at any depth)."""
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
        grants = [(g[0], g[1], g[2], _day(g[3]), _day(g[4])) for g in _fetch(cursor, _GRANTS, record_id)]
    nodes = {r[0]: _node(r, points.get(r[0], []), _competent(r, grants)) for r in records}
    dates = {r[0]: r[9] for r in records}
    return evaluate(record_id, nodes, _links(link_rows, dates))


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
