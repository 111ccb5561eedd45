"""The usage facts table on PostgreSQL: one row per usage with what the out-of-tolerance impact
reads of its record and its result (issue 5, item 8), kept by database triggers.

The impact follows every use of a standard's certificate downstream, at any depth. Read from the
live tables, each reached use is joined to its record and its result: on PostgreSQL two merges
along million-row primary keys that cost as much as the recursion itself. Here each usage
carries its record's date, number, decision rule and item and its result's unit and numbers (as
floats, as the analysis uses them), so the recursion reads everything from one index and only
the items' labels are joined (1.0 s in the database at 1,000,000 records, against 1.5-2.2 s).

Triggers keep the table equal to the join of ``calibration_usage``, ``calibration_record`` and
``calibration_result`` for every usage, whatever the record's status (a draft's uses are in the
impact too): a usage added, changed or deleted, a record or result whose copied columns change,
and a TRUNCATE of the usages. They fire once per statement with transition tables, so a bulk write costs one
set-based statement. Issued records never change (:mod:`.frozen`): their rows are written once.
Nothing in Python writes the table; a test holds it equal to the join after every kind of write.

SQLite has no such table: it reads the live tables, whose rowid lookups cost it what reading
the facts did (see ``jiliang.traceability.reverse``).
"""

from __future__ import annotations

from typing import Any

TABLE = "calibration_usagefacts"
# The records some usage has named as its certificate: the impact's recursion looks for the uses
# of a reached record only if it is here (at 1,000,000 records 1,800 of the 136,000 records
# reached are certificates; looking up the others found nothing, for 0.15-0.2 s in all). A
# record enters when first cited and stays when the citation is deleted: that costs a look-up
# and misses nothing. Insert-only (ON CONFLICT DO NOTHING on its key), so that no plan of the
# triggers depends on how fresh the planner's statistics are.
CITED = "calibration_citedrecord"

# (column, type, expression over u = the usage, r = its record, res = its result). Float
# expressions are cast in the database: the analysis works in floats.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("usage_id", "bigint NOT NULL PRIMARY KEY", "u.id"),
    ("record_id", "bigint NOT NULL", "u.record_id"),
    ("result_id", "bigint NOT NULL", "u.result_id"),
    ("standard_id", "bigint NULL", "u.standard_id"),
    ("reference_material_id", "bigint NULL", "u.reference_material_id"),
    ("certificate_id", "bigint NULL", "u.certificate_id"),
    ("calibration_date", "date NOT NULL", "r.calibration_date"),
    ("certificate_number", "varchar(60) NOT NULL", "r.certificate_number"),
    ("decision_rule", "varchar(40) NOT NULL", "r.decision_rule"),
    ("instrument_of_record", "bigint NULL", "r.instrument_id"),
    ("standard_of_record", "bigint NULL", "r.standard_id"),
    ("unit", "varchar(40) NOT NULL", "res.unit"),
    ("nominal_value", "double precision NOT NULL", "res.nominal_value"),
    ("measured_value", "double precision NOT NULL", "res.measured_value"),
    ("expanded_uncertainty", "double precision NOT NULL", "res.expanded_uncertainty"),
    ("coverage_factor", "double precision NOT NULL", "res.coverage_factor"),
    ("tolerance_lower", "double precision NULL", "res.tolerance_lower"),
    ("tolerance_upper", "double precision NULL", "res.tolerance_upper"),
)
# The columns copied from the record and from the result: a change to one of them is copied.
RECORD_COLUMNS = tuple(expr[2:] for _, _, expr in COLUMNS if expr.startswith("r."))
RESULT_COLUMNS = tuple(expr[4:] for _, _, expr in COLUMNS if expr.startswith("res."))


def _expression(expr: str) -> str:
    return f"CAST({expr} AS DOUBLE PRECISION)" if expr.startswith("res.") and expr != "res.unit" else expr


def select(usages: str) -> str:
    """The facts of the usages in ``usages`` (a table, aliased u), as the live tables give them."""
    values = ", ".join(_expression(expr) for _, _, expr in COLUMNS)
    return (
        f"SELECT {values} FROM {usages} u "
        "JOIN calibration_record r ON r.id = u.record_id JOIN calibration_result res ON res.id = u.result_id"
    )


def _insert_select(usages: str) -> str:
    return f"INSERT INTO {TABLE} ({', '.join(name for name, _, _ in COLUMNS)}) {select(usages)}"


def _copied(prefix: str, source: str) -> list[tuple[str, str]]:
    """(facts column, expression) pairs of the columns copied from ``source`` ('r.' or 'res.')."""
    return [
        (name, _expression(expr).replace(source, prefix))
        for name, _, expr in COLUMNS
        if expr.startswith(source)
    ]


def _cite(usages: str) -> str:
    return (
        f"INSERT INTO {CITED} (record_id) SELECT DISTINCT certificate_id FROM {usages} "
        "WHERE certificate_id IS NOT NULL ON CONFLICT DO NOTHING"
    )


def create_tables() -> list[str]:
    columns = ", ".join(f"{name} {kind}" for name, kind, _ in COLUMNS)
    return [
        f"CREATE TABLE {TABLE} ({columns})",
        f"CREATE TABLE {CITED} (record_id bigint NOT NULL PRIMARY KEY)",
    ]


def backfill() -> list[str]:
    return [_insert_select("calibration_usage"), _cite("calibration_usage")]


# The recursion of the impact probes the uses of each reached record as a certificate and reads
# all it needs from the index (INCLUDE: an index-only scan). The first uses are found by the
# standard or material and the date.
READ_BY_CERTIFICATE = tuple(name for name, _, _ in COLUMNS if name not in ("usage_id", "certificate_id"))
INDEXES = (
    f"CREATE INDEX {TABLE}_certificate_idx ON {TABLE} (certificate_id) "
    f"INCLUDE ({', '.join(READ_BY_CERTIFICATE)}) WHERE certificate_id IS NOT NULL",
    f"CREATE INDEX {TABLE}_standard_idx ON {TABLE} (standard_id, calibration_date) WHERE standard_id IS NOT NULL",
    f"CREATE INDEX {TABLE}_material_idx ON {TABLE} (reference_material_id, calibration_date) "
    "WHERE reference_material_id IS NOT NULL",
)


# The trigger names, which are also the names of their functions.
TRIGGERS = {
    "insert": f"{TABLE}_usage_insert",
    "update": f"{TABLE}_usage_update",
    "delete": f"{TABLE}_usage_delete",
    "record": f"{TABLE}_record_update",
    "result": f"{TABLE}_result_update",
    "truncate": f"{TABLE}_usage_truncate",
}


def postgresql_statements() -> list[str]:
    def function(name: str, body: str) -> str:
        return f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql"

    def trigger(name: str, event: str, table: str, referencing: str) -> str:
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )

    def copy(source: str, columns: tuple[str, ...], key: str) -> str:
        sets = ", ".join(f"{name} = {expr}" for name, expr in _copied("n.", source))
        new, old = ", ".join(f"n.{c}" for c in columns), ", ".join(f"o.{c}" for c in columns)
        return (
            f"UPDATE {TABLE} f SET {sets} FROM added n JOIN removed o ON o.id = n.id "
            f"JOIN calibration_usage u ON u.{key} = n.id "
            f"WHERE f.usage_id = u.id AND ({new}) IS DISTINCT FROM ({old});"
        )

    gone = f"DELETE FROM {TABLE} WHERE usage_id IN (SELECT id FROM removed);"
    cite = f"{_cite('added')};"
    both = "OLD TABLE AS removed NEW TABLE AS added"
    names = TRIGGERS
    return [
        function(names["insert"], f"{_insert_select('added')}; {cite}"),
        trigger(names["insert"], "INSERT", "calibration_usage", "NEW TABLE AS added"),
        function(names["update"], f"{gone} {_insert_select('added')}; {cite}"),
        trigger(names["update"], "UPDATE", "calibration_usage", both),
        function(names["delete"], gone),
        trigger(names["delete"], "DELETE", "calibration_usage", "OLD TABLE AS removed"),
        function(names["record"], copy("r.", RECORD_COLUMNS, "record_id")),
        trigger(names["record"], "UPDATE", "calibration_record", both),
        function(names["result"], copy("res.", RESULT_COLUMNS, "result_id")),
        trigger(names["result"], "UPDATE", "calibration_result", both),
        # TRUNCATE fires no delete trigger (Django's flush between tests truncates every table)
        function(names["truncate"], f"TRUNCATE {TABLE}, {CITED};"),
        f"CREATE TRIGGER {names['truncate']} AFTER TRUNCATE ON calibration_usage "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {names['truncate']}()",
    ]


def install(apps: Any, schema_editor: Any) -> None:
    """Create the table, fill it from the live tables, index it, then start the triggers."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [
        *create_tables(),
        *backfill(),
        *INDEXES,
        *postgresql_statements(),
        f"ANALYZE {TABLE}, {CITED}",
    ]:
        schema_editor.execute(sql)


def uninstall(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TABLE {TABLE}, {CITED}")
    for name in TRIGGERS.values():
        schema_editor.execute(f"DROP FUNCTION {name}() CASCADE")  # and its trigger
