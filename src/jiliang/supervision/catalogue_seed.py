"""Load the versioned compulsory-verification catalogue (``data/compulsory_catalogue.json``).

Each version is one edition of the catalogue (SAMR announcement 2020 No. 42 today); its entries
reference the registry's instrument categories by code. A new edition is a new version in the
file and a new data migration; filings keep the entry they were made under.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).with_name("data") / "compulsory_catalogue.json"


def load() -> dict[str, list[dict[str, Any]]]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def seed(apps: Any, schema_editor: Any = None) -> None:
    version_model = apps.get_model("supervision", "CatalogueVersion")
    entry_model = apps.get_model("supervision", "CatalogueEntry")
    category_model = apps.get_model("registry", "InstrumentCategory")
    categories = {c.code: c for c in category_model.objects.all()}
    for row in load()["versions"]:
        fields = {k: row[k] for k in ("title", "source", "current")}
        fields["issued_on"] = date.fromisoformat(row["issued_on"]) if row["issued_on"] else None
        version, _ = version_model.objects.update_or_create(code=row["code"], defaults=fields)
        for entry in row["entries"]:
            values = {k: v for k, v in entry.items() if k != "category"}
            values["scope"] = values["scope"] or ""
            entry_model.objects.update_or_create(
                version=version, category=categories[entry["category"]], defaults=values
            )
