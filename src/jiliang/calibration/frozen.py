"""The database-level guard that an issued record never changes (DESIGN.md rule 6).

Triggers on SQLite and PostgreSQL refuse: any change to an issued record except its move to
superseded or revoked; any change to a superseded or revoked record; deleting any of them; and
inserting, changing or deleting results and usages of such a record. The services refuse first
with a clear message; the triggers catch writers that bypass them (the admin, raw SQL, bugs).
"""

from __future__ import annotations

from typing import Any

FROZEN = "('issued', 'superseded', 'revoked')"
# Columns that never change once issued (status and revocation_reason move on revocation).
CONTENT = (
    "kind", "certificate_number", "institution_id", "instrument_id", "standard_id", "area_id",
    "specification_id", "performer_id", "checker_id", "approver_id", "calibration_date", "issue_date",
    "valid_until", "temperature", "humidity", "conditions", "decision_rule", "outcome",
    "cipm_mra_reference", "supersedes_id",
)  # fmt: skip
MESSAGE = "an issued calibration record never changes: supersede or revoke it"


def _changed(distinct: str) -> str:
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in CONTENT)


def _record_update_condition(distinct: str) -> str:
    return (
        f"OLD.status IN ('superseded', 'revoked') OR (OLD.status = 'issued' AND "
        f"(NEW.status NOT IN ('issued', 'superseded', 'revoked') OR {_changed(distinct)}))"
    )


def sqlite_statements() -> list[str]:
    raise_ = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    child = "(SELECT status FROM calibration_record WHERE id = {ref}.record_id) IN " + FROZEN
    statements = [
        f"CREATE TRIGGER calibration_record_frozen_update BEFORE UPDATE ON calibration_record "
        f"WHEN {_record_update_condition('IS NOT')} BEGIN {raise_} END",
        f"CREATE TRIGGER calibration_record_frozen_delete BEFORE DELETE ON calibration_record "
        f"WHEN OLD.status IN {FROZEN} BEGIN {raise_} END",
    ]
    for table in ("calibration_result", "calibration_usage"):
        statements += [
            f"CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table} "
            f"WHEN {child.format(ref='NEW')} BEGIN {raise_} END",
            f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} "
            f"WHEN {child.format(ref='OLD')} OR {child.format(ref='NEW')} BEGIN {raise_} END",
            f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table} "
            f"WHEN {child.format(ref='OLD')} BEGIN {raise_} END",
        ]
    return statements


def postgresql_statements() -> list[str]:
    fail = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    record_fn = f"""
CREATE FUNCTION calibration_record_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN {FROZEN} THEN {fail} END IF;
    RETURN OLD;
  END IF;
  IF {_record_update_condition("IS DISTINCT FROM")} THEN {fail} END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"""
    child_fn = f"""
CREATE FUNCTION calibration_child_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND (SELECT status FROM calibration_record WHERE id = OLD.record_id) IN {FROZEN}
  THEN {fail} END IF;
  IF TG_OP <> 'DELETE' AND (SELECT status FROM calibration_record WHERE id = NEW.record_id) IN {FROZEN}
  THEN {fail} END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"""
    statements = [
        record_fn,
        child_fn,
        "CREATE TRIGGER calibration_record_frozen BEFORE UPDATE OR DELETE ON calibration_record "
        "FOR EACH ROW EXECUTE FUNCTION calibration_record_frozen()",
    ]
    for table in ("calibration_result", "calibration_usage"):
        statements.append(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION calibration_child_frozen()"
        )
    return statements


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_statements, "postgresql": postgresql_statements}.get(vendor)
    if statements is None:
        return  # other databases rely on the services' checks only
    for sql in statements():
        schema_editor.execute(sql)
