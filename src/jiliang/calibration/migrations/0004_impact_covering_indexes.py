"""Covering indexes for the out-of-tolerance impact query on PostgreSQL (issue 5, item 8).

The impact joins every reached use with its record and result by merging along their primary
keys. With these indexes PostgreSQL reads the columns the query needs from the index alone (an
index-only scan) instead of visiting every row of the record and result tables: at 1,000,000
records 128 MB of index read instead of 470 MB of table and key (0.15-0.4 s less per analysis).
SQLite has no INCLUDE and looks its rows up by rowid, so nothing is created there; the indexes
are not in the models' state for the same reason (Django would warn that SQLite cannot build
them). Migration 0005 drops them again: the impact then reads the usage facts table instead."""

from typing import Any

from django.db import migrations

INDEXES = {
    "calibration_record_impact_idx": (
        "calibration_record",
        "certificate_number, decision_rule, instrument_id, standard_id",
    ),
    "calibration_result_impact_idx": (
        "calibration_result",
        "unit, nominal_value, measured_value, expanded_uncertainty, coverage_factor, "
        "tolerance_lower, tolerance_upper",
    ),
}


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, included) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (id) INCLUDE ({included})")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("calibration", "0003_usage_covering_indexes")]

    operations = [migrations.RunPython(create, drop)]
