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


def _group_keys(table: MeterTable, rules: LotRules) -> NDArray[np.int64]:
    """Integer code of each meter's homogeneity group (type, ratings, [manufacturer], [model])."""
    parts = [table.meter_type, table.ratings]
    if rules.same_manufacturer:
        parts.append(table.manufacturer)
    if rules.same_model:
        parts.append(table.model)
    codes = np.zeros(len(table), dtype=np.int64)
    for part in parts:
        _, inverse = np.unique(part, return_inverse=True)
        width = int(inverse.max()) + 1 if inverse.size else 1
        _, codes = np.unique(codes * width + inverse.astype(np.int64), return_inverse=True)
        codes = codes.astype(np.int64)
    return codes


def _year_windows(group: NDArray[np.int64], years: NDArray[np.int64], span: int) -> NDArray[np.int64]:
    """Within each group (rows sorted by group, then year) start a new window whenever a year lies
    more than ``span`` after the window's first year; return the window number of each row."""
    window = np.zeros(group.size, dtype=np.int64)
    if group.size == 0:
        return window
    # Windows depend on their start, so walk the distinct (group, year) pairs, not the meters.
    pair_start = np.flatnonzero(np.r_[True, (group[1:] != group[:-1]) | (years[1:] != years[:-1])])
    pair_group, pair_year = group[pair_start], years[pair_start]
    pair_window = np.empty(pair_start.size, dtype=np.int64)
    current, start_year, last_group = -1, 0, -1
    for i in range(pair_start.size):
        g, y = int(pair_group[i]), int(pair_year[i])
        if g != last_group or y - start_year > span:
            current, start_year, last_group = current + 1, y, g
        pair_window[i] = current
    counts = np.diff(np.r_[pair_start, group.size])
    return np.repeat(pair_window, counts)


def form_lots(table: MeterTable, rules: LotRules) -> LotPlan:
    """Group the meters into lots by ``rules``; deterministic (ties broken by input order)."""
    keep = np.flatnonzero(~table.excluded)
    group = _group_keys(table, rules)[keep]
    years = table.verification_year[keep]
    order = np.lexsort((keep, years, group))
    rows, group, years = keep[order], group[order], years[order]
    window = _year_windows(group, years, rules.max_year_span)
    lot = np.full(len(table), -1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, window[1:] != window[:-1]]) if window.size else np.array([], np.int64)
    ends = np.r_[starts[1:], window.size].astype(np.int64)
    next_lot = 0
    for start, end in zip(starts, ends, strict=True):
        size = int(end - start)
        if size < rules.min_lot_size:
            continue
        parts = 1 if rules.max_lot_size is None else -(-size // rules.max_lot_size)
        # Near-equal parts keep every lot within the limit without leaving a tiny remainder.
        for chunk in np.array_split(rows[start:end], parts):
            lot[chunk] = next_lot
            next_lot += 1
    return _summarise(lot, table.verification_year, next_lot)


def _summarise(lot: NDArray[np.int64], years: NDArray[np.int64], count: int) -> LotPlan:
    member = lot >= 0
    ids, y = lot[member], years[member]
    sizes = np.bincount(ids, minlength=count).astype(np.int64)
    first = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(count, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, ids, y)
    np.maximum.at(last, ids, y)
    representative = np.full(count, -1, dtype=np.int64)
    positions = np.flatnonzero(member)
    representative[ids[::-1]] = positions[::-1]  # the first member of each lot
    return LotPlan(lot, sizes, first, last, representative)


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
