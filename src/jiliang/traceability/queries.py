"""Fetch a chain or an impact closure with a fixed number of queries, whatever the depth:
a recursive CTE (SQLite and PostgreSQL both have ``WITH RECURSIVE``; ``UNION`` drops repeats, so
a cycle ends the recursion) collects the ids, then one query per table reads the rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection

from jiliang.calibration.models import Record, Result, Usage
from jiliang.registry.choices import AuthorisationActivity, InstitutionKind
from jiliang.registry.models import Authorisation
from jiliang.traceability.graph import Chain, Link, Node, evaluate
from jiliang.units import parse_unit, ureg

_UP = """
WITH RECURSIVE up(id) AS (
    SELECT id FROM calibration_record WHERE id = %s
    UNION
    SELECT u.certificate_id FROM calibration_usage u JOIN up ON u.record_id = up.id
    WHERE u.certificate_id IS NOT NULL
)
SELECT id FROM up
"""


@lru_cache(maxsize=512)
def to_base(unit: str) -> tuple[str, float] | None:
    """(dimension, factor to SI base units) of a unit, or None if it is not a unit."""
    try:
        quantity = ureg.Quantity(1.0, parse_unit(unit)).to_base_units()
    except Exception:  # an unknown unit leaves the point out of the uncertainty comparison
        return None
    return str(quantity.dimensionality), float(quantity.magnitude)


def _si(unit: str, nominal: Decimal, u: Decimal) -> tuple[str, float, float] | None:
    base = to_base(unit)
    if base is None:
        return None
    return base[0], float(nominal) * base[1], float(u) * base[1]


def chain(record_id: int) -> Chain:
    """The evaluated chain above one record (5 queries)."""
    with connection.cursor() as cursor:
        cursor.execute(_UP, [record_id])
        ids = [row[0] for row in cursor.fetchall()]
    records = list(
        Record.objects.filter(pk__in=ids).values(
            "id", "certificate_number", "institution_id", "institution__name", "institution__kind",
            "institution__cnas_number", "institution__accreditation_valid_until", "kind", "area_id",
            "calibration_date", "valid_until", "status", "cipm_mra_reference", "standard__name",
            "instrument__serial_number", "instrument__model",
        )
    )  # fmt: skip
    points: dict[int, list[tuple[str, float, float]]] = {}
    for r in Result.objects.filter(record_id__in=ids).values(
        "record_id", "unit", "nominal_value", "expanded_uncertainty"
    ):
        si = _si(r["unit"], r["nominal_value"], r["expanded_uncertainty"])
        if si is not None:
            points.setdefault(r["record_id"], []).append(si)
    competent = _competence(records)
    nodes = {
        r["id"]: Node(
            id=r["id"],
            certificate_number=r["certificate_number"],
            issuer=r["institution__name"],
            item=r["standard__name"] or f"{r['instrument__model']} {r['instrument__serial_number']}",
            calibration_date=r["calibration_date"],
            valid_until=r["valid_until"],
            status=r["status"],
            competent=competent[r["id"]],
            mra_reference=r["cipm_mra_reference"],
            points=tuple(points.get(r["id"], ())),
        )
        for r in records
    }
    return evaluate(record_id, nodes, _links(ids, {r["id"]: r["calibration_date"] for r in records}))


def _links(ids: list[int], dates: dict[int, date]) -> list[Link]:
    """One link per (record, standard, certificate), with the smallest U of the points using it."""
    usages = Usage.objects.filter(record_id__in=ids, standard__isnull=False).values(
        "record_id", "certificate_id", "standard__name", "standard__level", "result__unit",
        "result__nominal_value", "result__expanded_uncertainty",
    )  # fmt: skip
    links: dict[tuple[int, str, int | None], Link] = {}
    for u in usages:
        key = (u["record_id"], u["standard__name"], u["certificate_id"])
        point = _si(u["result__unit"], u["result__nominal_value"], u["result__expanded_uncertainty"])
        old = links.get(key)
        if old is None or (point is not None and (old.point is None or point[2] < old.point[2])):
            links[key] = Link(
                user=u["record_id"],
                standard=u["standard__name"],
                standard_level=u["standard__level"],
                certificate=u["certificate_id"],
                used_on=dates[u["record_id"]],
                point=point,
            )
    return list(links.values())


def _competence(records: Iterable[Mapping[str, Any]]) -> dict[int, bool]:
    """Was each issuer authorised (or, for a calibration, accredited) for the area on the date?
    A national metrology institute is competent by its designation."""
    records = list(records)
    grants: dict[int, list[tuple[str, int, date, date]]] = {}
    for a in Authorisation.objects.filter(institution_id__in={r["institution_id"] for r in records}).values(
        "institution_id", "activity", "area_id", "valid_from", "valid_until"
    ):
        grants.setdefault(a["institution_id"], []).append(
            (a["activity"], a["area_id"], a["valid_from"], a["valid_until"])
        )
    result = {}
    for r in records:
        on = r["calibration_date"]
        activity = (
            AuthorisationActivity.VERIFICATION
            if r["kind"] == "verification"
            else AuthorisationActivity.CALIBRATION
        )
        authorised = any(
            g[0] == activity and g[1] == r["area_id"] and g[2] <= on <= g[3]
            for g in grants.get(r["institution_id"], [])
        )
        until = r["institution__accreditation_valid_until"]
        accredited = (
            r["kind"] == "calibration"
            and bool(r["institution__cnas_number"])
            and until is not None
            and until >= on
        )
        result[r["id"]] = (
            authorised or accredited or r["institution__kind"] == InstitutionKind.NATIONAL_METROLOGY_INSTITUTE
        )
    return result
