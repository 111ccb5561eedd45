"""JSON views of fleets, lots and draws, shared by the API, the web pages and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from jiliang.supervision import services
from jiliang.supervision.models import Fleet, Lot, Meter, SampleMeter


def fleet(f: Fleet) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "owner": f.owner.name,
        "category": f.category.code,
        "jurisdiction": f.jurisdiction,
        "base_years": f.base_years,
        "rule": f.rule,
        "lot_rules": f.lot_rules,
        "test_points": f.test_points,
        "meters": f.cells.aggregate(n=Sum("size"))["n"] or 0,
    }


def lot(x: Lot) -> dict[str, Any]:
    s = services.schedule(x)
    return {
        "number": x.number,
        "meter_type": x.meter_type,
        "ratings": x.ratings,
        "manufacturer": x.manufacturer,
        "first_year": x.first_year,
        "last_year": x.last_year,
        "due_year": x.due_year,
        "size": x.size,
        "status": x.status,
        "notified_on": x.notified_on,
        "started_on": x.started_on,
        "decided_on": x.decided_on,
        "outcome": x.outcome or None,
        "extension_years": x.extension_years,
        "plan": x.plan or None,
        "decision": x.decision or None,
        "deadlines": {
            "expiry": s.expiry,
            "latest_test_start": s.latest_test_start,
            "latest_decision": s.latest_decision,
        },
    }


def lot_detail(x: Lot) -> dict[str, Any]:
    data = lot(x)
    draw = getattr(x, "draw", None) if hasattr(x, "draw") else None
    if draw is None:
        return data | {"draw": None}
    members = SampleMeter.objects.filter(draw=draw).select_related("meter").prefetch_related("results")
    reserve_serials = dict(Meter.objects.filter(pk__in=draw.reserves).values_list("id", "serial_number"))
    data["draw"] = {
        "seed": draw.seed,
        "frame_sha256": draw.frame_digest,
        "frame_size": draw.frame_size,
        "algorithm": draw.algorithm,
        "drawn_by": draw.drawn_by,
        "drawn_at": draw.drawn_at,
        "reserves": [reserve_serials[i] for i in draw.reserves],
        "sample": [
            {
                "serial_number": m.meter.serial_number,
                "position": m.position,
                "inaccessible": m.inaccessible,
                "reason": m.reason,
                "results": [
                    {
                        "test_point": r.test_point,
                        "error_percent": r.error_percent,
                        "mpe_percent": r.mpe_percent,
                        "conforming": r.conforming,
                    }
                    for r in m.results.all()
                ],
            }
            for m in members
        ],
    }
    return data
