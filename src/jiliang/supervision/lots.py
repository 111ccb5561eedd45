"""Lot formation for state-based extension: pure functions over arrays (no Django, no database).

A lot (批次 / Los) groups meters that may be judged together from one sample. The rules are
configurable per jurisdiction (research notes, section 1.1-1.3):

* same meter type and ratings (always: "baugleich", § 35 Nr. 2 MessEV; AT: same type, nominal
  voltage and current);
* verification years differing by at most ``max_year_span`` years (AT: 2);
* optionally the same manufacturer (DE gas meters) and the same model;
* exclusions: meters from a lot that failed before, meters out of service;
* optionally a largest lot size (a large group is split into near-equal lots).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class LotRules:
    """How meters are grouped into lots."""

    max_year_span: int = 2
    same_manufacturer: bool = True
    same_model: bool = False
    max_lot_size: int | None = None
    min_lot_size: int = 2

    def __post_init__(self) -> None:
        if self.max_year_span < 0:
            raise InvalidInput("lot_rules.max_year_span", f"{self.max_year_span} must be at least 0")
        if self.min_lot_size < 2:
            raise InvalidInput("lot_rules.min_lot_size", f"{self.min_lot_size} must be at least 2")
        if self.max_lot_size is not None and self.max_lot_size < self.min_lot_size:
            raise InvalidInput(
                "lot_rules.max_lot_size", f"{self.max_lot_size} is below the smallest lot {self.min_lot_size}"
            )

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> LotRules:
        data = dict(data or {})
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(f"lot_rules.{unknown[0]}", "no such lot rule")
        try:
            return cls(**data)  # type: ignore[arg-type]
        except TypeError as exc:
            raise InvalidInput("lot_rules", str(exc)) from exc


@dataclass(frozen=True)
class MeterTable:
    """The columns lot formation reads, one entry per meter."""

    meter_type: NDArray[np.str_]
    ratings: NDArray[np.str_]
    manufacturer: NDArray[np.str_]
    model: NDArray[np.str_]
    verification_year: NDArray[np.int64]
    excluded: NDArray[np.bool_]

    @classmethod
    def of(
        cls,
        meter_type: ArrayLike,
        ratings: ArrayLike,
        manufacturer: ArrayLike,
        model: ArrayLike,
        verification_year: ArrayLike,
        excluded: ArrayLike | None = None,
    ) -> MeterTable:
        years = np.asarray(verification_year, dtype=np.int64)
        columns = [np.asarray(c, dtype=str) for c in (meter_type, ratings, manufacturer, model)]
        excl = np.zeros(years.shape, bool) if excluded is None else np.asarray(excluded, dtype=bool)
        for name, column in zip(
            ("ratings", "manufacturer", "model", "excluded"), [*columns[1:], excl], strict=True
        ):
            if column.shape != years.shape or years.ndim != 1:
                raise InvalidInput(name, "needs one value per meter (1-D arrays of the same length)")
        if columns[0].shape != years.shape:
            raise InvalidInput("meter_type", "needs one value per meter (1-D arrays of the same length)")
        return cls(columns[0], columns[1], columns[2], columns[3], years, excl)

    def __len__(self) -> int:
        return int(self.verification_year.size)


@dataclass(frozen=True)
class LotPlan:
    """``lot[i]`` is the lot index of meter i (-1: excluded or in a group too small to sample)."""

    lot: NDArray[np.int64]
    sizes: NDArray[np.int64]
    first_year: NDArray[np.int64]
    last_year: NDArray[np.int64]
    representative: NDArray[np.int64]  # one member per lot, to read its type, ratings, maker

    @property
    def count(self) -> int:
        return int(self.sizes.size)


@dataclass(frozen=True)
class Cell:
    """Meters alike in every lot attribute and verification year: the unit lot formation works on.

    ``key`` is (meter type, ratings, manufacturer, model); ``ids`` ascending (meter ids, or row
    numbers when forming lots of a :class:`MeterTable`).
    """

    key: tuple[str, str, str, str]
    year: int
    ids: NDArray[np.int64]


@dataclass(frozen=True)
class FormedLot:
    """One lot: its homogeneity key (type, ratings, manufacturer or ``""``), its verification
    years and its members, ascending (the sampling frame)."""

    meter_type: str
    ratings: str
    manufacturer: str
    first_year: int
    last_year: int
    ids: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.ids.size)


def _group_of(key: tuple[str, str, str, str], rules: LotRules) -> tuple[str, ...]:
    return (
        key[0],
        key[1],
        *((key[2],) if rules.same_manufacturer else ()),
        *((key[3],) if rules.same_model else ()),
    )


def form_lots_of_cells(cells: Sequence[Cell], rules: LotRules) -> list[FormedLot]:
    """Group cells into lots by ``rules``; deterministic.

    Groups (type, ratings, [manufacturer], [model]) are taken in lexicographic order. Within a
    group, a window starts at its first verification year and takes every later year at most
    ``max_year_span`` after it; a window smaller than ``min_lot_size`` forms no lot, a larger one
    than ``max_lot_size`` is split into near-equal parts, its meters ordered by year, then id.
    """
    groups: dict[tuple[str, ...], dict[int, list[NDArray[np.int64]]]] = {}
    for cell in cells:
        if cell.ids.size:
            years = groups.setdefault(_group_of(cell.key, rules), {})
            years.setdefault(int(cell.year), []).append(np.asarray(cell.ids, dtype=np.int64))
    formed: list[FormedLot] = []
    for group in sorted(groups):
        by_year = groups[group]
        windows: list[list[int]] = []
        for year in sorted(by_year):
            if not windows or year - windows[-1][0] > rules.max_year_span:
                windows.append([])
            windows[-1].append(year)
        for window in windows:
            formed.extend(_split(group, rules, [(y, _merged(by_year[y])) for y in window]))
    return formed


def _merged(parts: list[NDArray[np.int64]]) -> NDArray[np.int64]:
    return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts), kind="stable")


def _split(
    group: tuple[str, ...], rules: LotRules, window: list[tuple[int, NDArray[np.int64]]]
) -> list[FormedLot]:
    ids = np.concatenate([x for _, x in window])
    if ids.size < rules.min_lot_size:
        return []
    years = np.repeat([y for y, _ in window], [x.size for _, x in window])
    parts = 1 if rules.max_lot_size is None else -(-ids.size // rules.max_lot_size)
    maker = group[2] if rules.same_manufacturer else ""
    # Near-equal parts keep every lot within the limit without leaving a tiny remainder.
    return [
        FormedLot(group[0], group[1], maker, int(y[0]), int(y[-1]), np.sort(chunk))
        for chunk, y in zip(np.array_split(ids, parts), np.array_split(years, parts), strict=True)
    ]


def form_lots(table: MeterTable, rules: LotRules) -> LotPlan:
    """Group the meters of ``table`` into lots by ``rules`` (:func:`form_lots_of_cells` on its
    rows); deterministic (ties broken by input order)."""
    keep = np.flatnonzero(~table.excluded)
    columns = (table.meter_type, table.ratings, table.manufacturer, table.model)
    cells: dict[tuple[tuple[str, str, str, str], int], list[int]] = {}
    for row in keep.tolist():
        key = (str(columns[0][row]), str(columns[1][row]), str(columns[2][row]), str(columns[3][row]))
        cells.setdefault((key, int(table.verification_year[row])), []).append(row)
    formed = form_lots_of_cells(
        [Cell(key, year, np.asarray(rows, dtype=np.int64)) for (key, year), rows in cells.items()], rules
    )
    lot = np.full(len(table), -1, dtype=np.int64)
    for i, f in enumerate(formed):
        lot[f.ids] = i
    return LotPlan(
        lot,
        np.array([f.size for f in formed], dtype=np.int64),
        np.array([f.first_year for f in formed], dtype=np.int64),
        np.array([f.last_year for f in formed], dtype=np.int64),
        np.array([int(f.ids[0]) for f in formed], dtype=np.int64),
    )


def check_homogeneous(table: MeterTable, rules: LotRules, labels: Sequence[str] | None = None) -> None:
    """Refuse a hand-picked lot that breaks ``rules`` (mixed types, ratings, makers, years).

    ``labels`` name the meters in the error (e.g. serial numbers); the field names the first
    offending meter: ``meters[3].meter_type``.
    """
    if len(table) < rules.min_lot_size:
        raise InvalidInput("meters", f"a lot needs at least {rules.min_lot_size} meters, got {len(table)}")
    names = labels or [str(i) for i in range(len(table))]
    checks: list[tuple[str, NDArray[np.str_]]] = [
        ("meter_type", table.meter_type),
        ("ratings", table.ratings),
    ]
    if rules.same_manufacturer:
        checks.append(("manufacturer", table.manufacturer))
    if rules.same_model:
        checks.append(("model", table.model))
    for field, column in checks:
        differs = np.flatnonzero(column != column[0])
        if differs.size:
            i = int(differs[0])
            raise InvalidInput(
                f"meters[{i}].{field}",
                f"meter {names[i]} has {field} {column[i]!r} but meter {names[0]} has {column[0]!r}: "
                "a lot holds meters of one kind only",
            )
    excluded = np.flatnonzero(table.excluded)
    if excluded.size:
        i = int(excluded[0])
        raise InvalidInput(
            f"meters[{i}]", f"meter {names[i]} is excluded from lots (failed lot or out of service)"
        )
    years = table.verification_year
    if int(years.max() - years.min()) > rules.max_year_span:
        i = int(np.argmax(years)) if years[0] == years.min() else int(np.argmin(years))
        raise InvalidInput(
            f"meters[{i}].verification_year",
            f"verification years {int(years.min())}-{int(years.max())} span more than {rules.max_year_span} years",
        )
