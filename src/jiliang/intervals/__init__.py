"""Calibration-interval analysis (ILAC-G24:2007 / OIML D 10:2007, NCSLI RP-1, JJF 1139).

Pure core: a validated :class:`History` in, an :class:`IntervalRecommendation` out.
"""

from __future__ import annotations

from jiliang.errors import InvalidInput
from jiliang.intervals.advice import Advice, advise
from jiliang.intervals.history import (
    COLUMNS,
    DEFAULT_TARGET,
    History,
    check_target,
    history_from_csv,
    history_from_rows,
    make_history,
)
from jiliang.intervals.mle import ReliabilityFit, fit, likelihood_ratio_bounds, recommend_mle, select
from jiliang.intervals.result import IntervalRecommendation
from jiliang.intervals.simple import interval_test, rp1_a3, staircase, staircase_factors

METHODS = ("staircase", "interval-test", "rp1-a3", "mle")


def recommend(
    history: History,
    *,
    target: float = DEFAULT_TARGET,
    method: str = "mle",
    model: str = "best",
    confidence: float = 0.95,
    current_interval: float | None = None,
    extend: float = 0.1,
) -> IntervalRecommendation:
    """Recommend the next calibration interval by the named method."""
    target = check_target(target)
    if method == "staircase":
        return staircase(history, target, extend=extend)
    if method == "interval-test":
        return interval_test(history, target, current_interval=current_interval, confidence=confidence)
    if method == "rp1-a3":
        return rp1_a3(history, target, current_interval=current_interval, confidence=confidence)
    if method == "mle":
        return recommend_mle(history, target, model=model, confidence=confidence)
    raise InvalidInput("method", f"unknown method {method!r}; use {', '.join(METHODS)}")


__all__ = [
    "Advice",
    "COLUMNS",
    "DEFAULT_TARGET",
    "METHODS",
    "History",
    "IntervalRecommendation",
    "ReliabilityFit",
    "advise",
    "fit",
    "history_from_csv",
    "history_from_rows",
    "interval_test",
    "likelihood_ratio_bounds",
    "make_history",
    "recommend",
    "recommend_mle",
    "rp1_a3",
    "select",
    "staircase",
    "staircase_factors",
]
