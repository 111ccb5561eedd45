"""Reproducible, auditable random sampling of a lot (research notes 1.1: S-S-01 style; GB/T 10111).

The frame is the lot's meter ids in ascending order; its SHA-256 digest is stored with the seed so
that anyone can redraw the same sample. The draw is one permutation of the frame by numpy's PCG64
generator seeded with the stored seed: the first ``n`` positions are the sample, the next positions
are the reserves, used in order to replace an inaccessible sample meter (Measurement Canada GEN-49).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiliang.errors import InvalidInput

ALGORITHM = "numpy.random.PCG64 permutation of the ascending frame"


@dataclass(frozen=True)
class Draw:
    seed: int
    frame_digest: str
    frame_size: int
    sample: tuple[int, ...]
    reserves: tuple[int, ...]
    algorithm: str = ALGORITHM


def frame_digest(frame: NDArray[np.int64]) -> str:
    """SHA-256 of the frame as little-endian 64-bit integers."""
    return hashlib.sha256(np.ascontiguousarray(frame, dtype="<i8").tobytes()).hexdigest()


def _frame(ids: ArrayLike) -> NDArray[np.int64]:
    frame = np.asarray(ids, dtype=np.int64)
    if frame.ndim != 1 or frame.size == 0:
        raise InvalidInput("frame", "needs the ids of at least one meter")
    frame = np.sort(frame)
    if (frame[1:] == frame[:-1]).any():
        raise InvalidInput("frame", "lists a meter twice")
    return frame


def draw_sample(ids: ArrayLike, sample_size: int, seed: int, reserves: int = 0) -> Draw:
    """Draw ``sample_size`` meters and ``reserves`` replacements from the frame ``ids``."""
    frame = _frame(ids)
    if not 0 <= seed < 2**63:
        raise InvalidInput("seed", f"{seed} must lie in [0, 2^63)")
    if not 1 <= sample_size <= frame.size:
        raise InvalidInput("sample_size", f"{sample_size} must lie between 1 and the lot size {frame.size}")
    if reserves < 0:
        raise InvalidInput("reserves", f"{reserves} must be at least 0")
    reserves = min(reserves, frame.size - sample_size)
    order = np.random.Generator(np.random.PCG64(seed)).permutation(frame.size)[: sample_size + reserves]
    picked = frame[order]
    return Draw(
        seed,
        frame_digest(frame),
        int(frame.size),
        tuple(int(x) for x in picked[:sample_size]),
        tuple(int(x) for x in picked[sample_size:]),
    )


def verify_draw(ids: ArrayLike, draw: Draw) -> bool:
    """Redraw from the stored seed and frame; true when the stored sample and reserves match."""
    frame = _frame(ids)
    if frame_digest(frame) != draw.frame_digest:
        return False
    again = draw_sample(frame, len(draw.sample), draw.seed, len(draw.reserves))
    return again.sample == draw.sample and again.reserves == draw.reserves


def next_reserve(draw: Draw, used: set[int]) -> int:
    """The first reserve not used yet, for replacing an inaccessible sample meter."""
    for meter in draw.reserves:
        if meter not in used:
            return meter
    raise InvalidInput("reserves", "every reserve meter has been used; draw a new sample")
