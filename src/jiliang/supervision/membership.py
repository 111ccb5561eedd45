"""Which meters are in which lots, and what that makes of each meter (extension, due year).

A lot stores its members once, as its sampling frame: the ascending meter ids as 64-bit
little-endian integers (:func:`jiliang.supervision.draw.frame_digest` hashes exactly these bytes).
Meters are not rewritten when lots are formed or decided, so a fleet of millions is grouped and
judged without writing a meter row. A meter's state follows from its lots, taken in the
order they were formed:

* never in a lot: due ``verification_year + base_years``;
* its latest lot is open (formed, notified, under test): due that lot's due year, busy;
* its latest lot was extended: due that lot's due year plus the extension;
* its latest lot was rotated: the meter is to be rotated and takes part in no later lot (it stays
  due in that lot's year, and a meter due in year Y that is in a lot of year Y is never a
  candidate again).

Each lot of a meter falls due in the year the meter was due when the lot was formed (lot formation
and hand-picked lots both check it), so the first lot of a meter falls due ``verification_year +
base_years`` and a meter due in year Y that was already in a lot is in a lot falling due in Y.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import F, Q, Sum
from numpy.typing import NDArray

from jiliang.supervision.choices import LotStatus, MeterStatus, Outcome
from jiliang.supervision.lots import Cell
from jiliang.supervision.models import Fleet, Lot, Meter, MeterCell

OPEN = (LotStatus.FORMED, LotStatus.NOTIFIED, LotStatus.TESTING)
_NONE = np.zeros(0, dtype=np.int64)


def encode(ids: NDArray[np.int64]) -> bytes:
    return np.ascontiguousarray(np.sort(ids), dtype="<i8").tobytes()


def decode(frame: bytes | memoryview | None) -> NDArray[np.int64]:
    return np.frombuffer(bytes(frame or b""), dtype="<i8").astype(np.int64)


def _union(frames: Iterable[bytes | memoryview]) -> NDArray[np.int64]:
    parts = [decode(f) for f in frames]
    if not parts:
        return _NONE
    ids = np.sort(np.concatenate(parts))
    # Lots of one due year never share a meter; dedupe only if some do.
    return np.unique(ids) if ids.size and (ids[1:] == ids[:-1]).any() else ids


def contains(sorted_ids: NDArray[np.int64], ids: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which of ``ids`` are in ``sorted_ids`` (ascending): a binary search per id, so a cell of a
    few thousand meters is matched against a million ids without sorting them again."""
    if not sorted_ids.size:
        return np.zeros(ids.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), sorted_ids.size - 1)
    return sorted_ids[at] == ids


def candidates(fleet: Fleet, due_year: int) -> list[Cell]:
    """The in-service meters falling due in ``due_year`` and in no lot of that year, as cells
    (alike meters of one verification year, ids ascending).

    Read from the fleet's meter cells (never from the meter table): the cells of the verification
    year ``due_year - base_years`` and, for meters extended to ``due_year``, the cells of their
    lots' years, less the meters out of lot formation (a small partial index).
    """
    lots = Lot.objects.filter(fleet=fleet)
    taken = _union(lots.filter(due_year=due_year).values_list("frame", flat=True))
    extended = (
        lots.filter(outcome=Outcome.EXTEND)
        .annotate(until=F("due_year") + F("extension_years"))
        .filter(until=due_year)
        .values_list("first_year", "last_year", "frame")
    )
    fresh = due_year - fleet.base_years
    years, frames = {fresh}, []
    for first, last, frame in extended:
        years.update(range(first, last + 1))
        frames.append(frame)
    again = _union(frames)
    drop = np.union1d(taken, np.fromiter(_out_of_lots(fleet), dtype=np.int64))
    cells = []
    for key, year, ids in _cells(fleet, years):
        if year != fresh:
            ids = ids[contains(again, ids)]
        if drop.size:
            ids = ids[~contains(drop, ids)]
        if ids.size:
            cells.append(Cell(key, year, ids))
    return _merge(cells)


def _out_of_lots(fleet: Fleet) -> Iterable[int]:
    out = Meter.objects.filter(fleet=fleet).filter(Q(excluded=True) | ~Q(status=MeterStatus.IN_SERVICE))
    return out.values_list("id", flat=True)


def _cells(
    fleet: Fleet, years: set[int]
) -> Iterable[tuple[tuple[str, str, str, str], int, NDArray[np.int64]]]:
    rows = MeterCell.objects.filter(fleet=fleet, verification_year__in=sorted(years)).order_by("id")
    for *key, year, ids in rows.values_list(
        "meter_type", "ratings", "manufacturer", "model", "verification_year", "ids"
    ):
        yield (key[0], key[1], key[2], key[3]), year, decode(ids)


def _merge(cells: list[Cell]) -> list[Cell]:
    """One cell per kind and year (a fleet imported in several files holds several of each)."""
    merged: dict[tuple[tuple[str, str, str, str], int], list[NDArray[np.int64]]] = {}
    for c in cells:
        merged.setdefault((c.key, c.year), []).append(c.ids)
    return [Cell(k, y, np.unique(np.concatenate(v))) for (k, y), v in sorted(merged.items())]


@dataclass(frozen=True)
class MeterLots:
    """A meter's lots, oldest first, and the extension they granted."""

    lots: list[Lot]

    @property
    def extension_years(self) -> int:
        return sum(x.extension_years for x in self.lots if x.outcome == Outcome.EXTEND)

    @property
    def latest(self) -> Lot | None:
        return self.lots[-1] if self.lots else None


def lots_of(meter: Meter) -> MeterLots:
    """The lots holding ``meter``: only lots of its kind and years can, so few frames are read."""
    candidates = Lot.objects.filter(
        fleet_id=meter.fleet_id,
        meter_type=meter.meter_type,
        ratings=meter.ratings,
        first_year__lte=meter.verification_year,
        last_year__gte=meter.verification_year,
        manufacturer__in=["", meter.manufacturer],
    ).order_by("id")
    held = []
    for lot in candidates:
        frame = decode(lot.frame)
        i = int(np.searchsorted(frame, meter.pk))
        if i < frame.size and frame[i] == meter.pk:
            held.append(lot)
    return MeterLots(held)


def lots_of_many(fleet: Fleet, ids: list[int], meter_type: str, ratings: str) -> dict[int, MeterLots]:
    """:func:`lots_of` for many meters of one type and ratings (a hand-picked lot)."""
    wanted = np.asarray(ids, dtype=np.int64)
    held: dict[int, list[Lot]] = {i: [] for i in ids}
    for lot in Lot.objects.filter(fleet=fleet, meter_type=meter_type, ratings=ratings).order_by("id"):
        for i in wanted[np.isin(wanted, decode(lot.frame))].tolist():
            held[i].append(lot)
    return {i: MeterLots(x) for i, x in held.items()}


def due_years(fleet: Fleet) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per in-service meter of the fleet (not replaced): verification year and years of extension.

    Meters never in a lot are counted from the cells; the others come from the lots' frames, read
    once, oldest lot first (each meter's latest lot decides its due year).
    """
    cells = MeterCell.objects.filter(fleet=fleet).order_by().values("verification_year")
    counts = dict(cells.annotate(n=Sum("size")).values_list("verification_year", "n"))
    gone = Meter.objects.filter(fleet=fleet, status=MeterStatus.REPLACED).values_list(
        "id", "verification_year"
    )
    replaced = np.zeros(0, np.int64)
    if gone:
        replaced = np.array([pk for pk, _ in gone], dtype=np.int64)
        for _, year in gone:
            counts[year] -= 1
    ids, first_due, due = [], [], []
    lots = Lot.objects.filter(fleet=fleet).order_by("id")
    for lot_due, outcome, ext, frame in lots.values_list("due_year", "outcome", "extension_years", "frame"):
        members = decode(frame)
        ids.append(members)
        due.append(np.full(members.size, lot_due + (ext if outcome == Outcome.EXTEND else 0), np.int64))
        first_due.append(np.full(members.size, lot_due, np.int64))
    if not ids:
        return _repeat(counts), np.zeros(sum(counts.values()), np.int64)
    all_ids = np.concatenate(ids)
    # One stable sort groups each meter's entries, oldest lot first: the group's first entry is
    # its first lot, the last entry its latest.
    order = np.argsort(all_ids, kind="stable")
    grouped = all_ids[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    ends = np.r_[starts[1:], grouped.size] - 1
    latest_ids = grouped[starts]
    current = np.concatenate(due)[order[ends]]
    original = np.concatenate(first_due)[order[starts]]
    keep = ~contains(np.sort(replaced), latest_ids)
    vy = original[keep] - fleet.base_years
    for year, n in zip(*np.unique(vy, return_counts=True), strict=True):
        counts[int(year)] = counts.get(int(year), 0) - int(n)
    unlotted = _repeat(counts)
    return (
        np.concatenate([unlotted, vy]),
        np.concatenate([np.zeros(unlotted.size, np.int64), current[keep] - original[keep]]),
    )


def _repeat(counts: dict[int, int]) -> NDArray[np.int64]:
    years = sorted(counts)
    return np.repeat(np.array(years, dtype=np.int64), [counts[y] for y in years]).astype(np.int64)
