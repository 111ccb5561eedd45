"""Many lot decisions at once (ISO 2859-1 single sampling), as numpy arrays.

The plan of every (code letter, AQL) pair is resolved once from the master table; lot sizes go
through Table 1 with ``searchsorted`` and the decisions are one comparison, so 10^5 lots take
milliseconds. The results equal :func:`jiliang.sampling.iso2859_1.single_plan` lot by lot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiliang.errors import InvalidInput
from jiliang.sampling.iso2859_1 import aql_index, check_inspection, check_level, resolve_cell
from jiliang.sampling.tables import iso2859_1

# Table 1 letters only run A..R; row S of Table 2-B is only reached through arrows.
_LETTERS = "ABCDEFGHJKLMNPQR"


@dataclass(frozen=True)
class LotDecisions:
    """Per-lot plan and verdict; every field is an array with one entry per lot."""

    sample_size: NDArray[np.int64]
    acceptance_number: NDArray[np.int64]
    inspect_all: NDArray[np.bool_]
    accepted: NDArray[np.bool_]


@cache
def _resolved(inspection: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sample size and Ac of every (Table 1 letter, AQL column) pair after the arrows."""
    master = iso2859_1().masters[inspection]
    columns = len(iso2859_1().aql_values)
    n = np.zeros((len(_LETTERS), columns), dtype=np.int64)
    ac = np.zeros_like(n)
    for i, letter in enumerate(_LETTERS):
        for j in range(columns):
            _, n[i, j], ac[i, j], _ = resolve_cell(master, letter, j)
    n.setflags(write=False)
    ac.setflags(write=False)
    return n, ac


def _aql_columns(aql: ArrayLike, size: int) -> NDArray[np.int64]:
    values = np.asarray(aql, dtype=float)
    if values.ndim == 0:
        return np.full(size, aql_index(float(values)), dtype=np.int64)
    known = np.asarray(iso2859_1().aql_values)
    columns = np.searchsorted(known, values).clip(0, len(known) - 1)
    bad = ~np.isclose(known[columns], values, rtol=1e-9, atol=0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        aql_index(float(values[first]), field=f"aql[{first}]")
    return columns.astype(np.int64)


def _first_bad(mask: NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def lot_decisions(
    lot_sizes: ArrayLike,
    nonconforming: ArrayLike,
    aql: ArrayLike,
    level: str = "II",
    inspection: str = "normal",
) -> LotDecisions:
    """Decide many lots with the ISO 2859-1 single sampling plan for their size and ``aql``."""
    lots = np.asarray(lot_sizes, dtype=np.int64)
    counts = np.asarray(nonconforming, dtype=np.int64)
    if lots.shape != counts.shape or lots.ndim != 1:
        raise InvalidInput("nonconforming", "needs one count per lot (two 1-D arrays of the same length)")
    if (lots < 2).any():
        i = _first_bad(lots < 2)
        raise InvalidInput(f"lot_sizes[{i}]", f"{lots[i]} is too small: Table 1 starts at a lot of 2 items")
    if (counts < 0).any():
        i = _first_bad(counts < 0)
        raise InvalidInput(f"nonconforming[{i}]", "must not be negative")
    letters_of_level = np.array([_LETTERS.index(x) for x in iso2859_1().code_letters[check_level(level)]])
    upper = np.array([u if u is not None else np.iinfo(np.int64).max for u in iso2859_1().lot_size_upper])
    letter = letters_of_level[np.searchsorted(upper, lots, side="left")]
    n_table, ac_table = _resolved(check_inspection(inspection))
    columns = _aql_columns(aql, lots.size)
    n = n_table[letter, columns]
    ac = ac_table[letter, columns]
    inspect_all = n >= lots
    return LotDecisions(
        sample_size=np.minimum(n, lots),
        acceptance_number=ac,
        inspect_all=inspect_all,
        accepted=counts <= ac,
    )
