"""NCSLI RP-1 method A3 ("test interval") against published worked cases.

Cases: assets 1-3 of the 2019 NCSL International Symposium tutorial on calibration intervals, as
quoted with their printed results (interval, rejection confidence, reliability range) in Sandia's
suncal, test/test_interval.py (github.com/sandialabs/suncal), plus suncal's own fourth case. Every
calibration was made at the current interval I0; 1 = in tolerance. The change confidence is 0.5
(0.3 for the fourth case), the maximum change factor 2.
"""

from __future__ import annotations

import numpy as np
import pytest

from jiliang.errors import InvalidInput
from jiliang.intervals import make_history, recommend, rp1_a3

CASES = [
    # (pass/fail record, I0 (days), Rt, confidence, interval, rejection, R_L, R_U)
    ("11010111101111101110", 365, 0.95, 0.5, 231, 0.9949, 0.6516, 0.8286),
    ("11101001110011101111", 365, 0.95, 0.5, 205, 0.9993, 0.6000, 0.7843),
    ("11110101110111111011", 730, 0.95, 0.5, 523, 0.9682, 0.7041, 0.8716),
]


def _history(record: str, interval: float):
    passes = [c == "1" for c in record]
    return make_history([interval] * len(passes), passes)


@pytest.mark.parametrize(
    ("record", "i0", "target", "confidence", "interval", "rejection", "low", "high"), CASES
)
def test_ncsl_2019_tutorial_assets(record, i0, target, confidence, interval, rejection, low, high):
    result = rp1_a3(_history(record, i0), target, confidence=confidence)
    assert round(result.recommended_interval) == interval
    assert f"rejection confidence {rejection:.4f}" in result.note
    assert result.reliability_range == pytest.approx((low, high), abs=5e-5)
    assert result.method == "rp1-a3" and result.confidence_level == confidence
    assert result.confidence_bounds is None and result.as_dict()["reliability_range"] == list(
        result.reliability_range
    )


def test_suncal_fourth_case_42_of_50():
    history = make_history([365] * 50, [True] * 42 + [False] * 8)
    result = recommend(history, target=0.9, method="rp1-a3", confidence=0.3)
    assert round(result.recommended_interval) == 329 and "rejection confidence 0.7557" in result.note
    assert result.reliability_range == pytest.approx((0.8067, 0.8664), abs=5e-5)


def test_interval_kept_when_the_rejection_confidence_is_low():
    history = make_history([365] * 10, [True] * 9 + [False])  # 0.9 observed against 0.9
    result = rp1_a3(history, 0.9)
    assert result.recommended_interval == 365


def test_lengthening_is_capped_and_bad_input():
    history = make_history([100] * 40, [True] * 40)
    assert rp1_a3(history, 0.8).recommended_interval == pytest.approx(200)
    assert rp1_a3(make_history([100] * 5, [False] * 5), 0.9).recommended_interval == pytest.approx(50)
    with pytest.raises(InvalidInput, match="current_interval"):
        rp1_a3(history, 0.9, current_interval=-1)
    with pytest.raises(InvalidInput, match="max_change"):
        rp1_a3(history, 0.9, max_change=1.0)
    assert np.isfinite(rp1_a3(history, 0.9).observed_reliability)
