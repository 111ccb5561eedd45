"""The versioned ISO 2859-1 table data shipped inside the package (``tables/iso2859_1.json``).

The JSON file holds Table 1 (sample size code letters) and the single sampling master tables 2-A,
2-B and 2-C *as printed*: a cell is ``[Ac, Re]``, ``"up"`` / ``"down"`` (the arrows), or ``null``
(blank). Its ``provenance`` says where each table was transcribed from and how it was checked.
Loading is read-only package data, parsed once into immutable tuples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Inspection = Literal["normal", "tightened", "reduced"]
INSPECTIONS: tuple[Inspection, ...] = ("normal", "tightened", "reduced")
LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
Cell = tuple[int, int] | Literal["up", "down"] | None


@dataclass(frozen=True)
class MasterTable:
    """One master table (ISO 2859-1:1999 Table 2-A, 2-B or 2-C) as printed."""

    name: str
    inspection: Inspection
    letters: tuple[str, ...]
    sample_sizes: tuple[int, ...]
    cells: tuple[tuple[Cell, ...], ...]  # [letter][aql column]


@dataclass(frozen=True)
class Iso2859Tables:
    version: str
    standard: str
    provenance: tuple[str, ...]
    aql_labels: tuple[str, ...]
    aql_values: tuple[float, ...]
    lot_size_upper: tuple[int | None, ...]  # upper bound of each Table 1 row (None: no bound)
    code_letters: dict[str, tuple[str, ...]]
    masters: dict[str, MasterTable]


def _cell(raw: object) -> Cell:
    if raw is None or raw in ("up", "down"):
        return raw
    if isinstance(raw, list) and len(raw) == 2:
        return (int(raw[0]), int(raw[1]))
    raise ValueError(f"bad master-table cell {raw!r}")


def _master(inspection: Inspection, doc: dict, sizes: dict[str, int]) -> MasterTable:
    rows = doc["rows"]
    letters = tuple(rows)
    return MasterTable(
        name=doc["table"],
        inspection=inspection,
        letters=letters,
        sample_sizes=tuple(int(sizes[letter]) for letter in letters),
        cells=tuple(tuple(_cell(c) for c in rows[letter]) for letter in letters),
    )


def load_table(name: str) -> dict[str, Any]:
    """A versioned table file shipped in ``jiliang/sampling/tables/`` (``name`` without ``.json``)."""
    text = resources.files("jiliang.sampling").joinpath(f"tables/{name}.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


@cache
def iso2859_1() -> Iso2859Tables:
    """The ISO 2859-1:1999 tables (parsed once; the result is immutable)."""
    doc = load_table("iso2859_1")
    letters = doc["code_letters"]
    return Iso2859Tables(
        version=doc["version"],
        standard=doc["standard"],
        provenance=tuple(doc["provenance"]),
        aql_labels=tuple(doc["aql_values"]),
        aql_values=tuple(float(a) for a in doc["aql_values"]),
        lot_size_upper=tuple(hi for _lo, hi in letters["lot_size_ranges"]),
        code_letters={level: tuple(v) for level, v in letters["levels"].items()},
        masters={
            insp: _master(insp, doc["master_tables"][insp], doc["sample_sizes"][insp]) for insp in INSPECTIONS
        },
    )
