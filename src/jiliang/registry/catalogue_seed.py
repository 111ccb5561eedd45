"""Load the seeded catalogues (``data/catalogue.json``): the ten measurement areas, the region's
districts, technical specifications and instrument categories from the catalogue of instruments
under compulsory administration (SAMR announcement 2020 No. 42, a subset; each row's ``source``
says how firmly it is sourced)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).with_name("data") / "catalogue.json"


def load() -> dict[str, list[dict[str, Any]]]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def seed(apps: Any) -> None:
    """Insert or update the catalogues; ``apps`` is a migration's app registry."""
    data = load()
    area_model = apps.get_model("registry", "MeasurementArea")
    district_model = apps.get_model("registry", "District")
    spec_model = apps.get_model("registry", "TechnicalSpecification")
    category_model = apps.get_model("registry", "InstrumentCategory")
    for row in data["areas"]:
        area_model.objects.update_or_create(code=row["code"], defaults=row)
    for row in data["districts"]:
        district_model.objects.update_or_create(code=row["code"], defaults=row)
    areas = {a.code: a for a in area_model.objects.all()}
    for row in data["specifications"]:
        fields = dict(row, area=areas.get(row["area"]))
        if fields["effective_from"]:
            fields["effective_from"] = date.fromisoformat(fields["effective_from"])
        spec_model.objects.update_or_create(code=row["code"], defaults=fields)
    specs = {s.code: s for s in spec_model.objects.all()}
    for row in data["categories"]:
        fields = {k: v for k, v in row.items() if k != "source"}
        fields.update(area=areas[row["area"]], specification=specs.get(row["specification"] or ""))
        category_model.objects.update_or_create(code=row["code"], defaults=fields)
