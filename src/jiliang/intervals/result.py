"""The recommendation every interval method returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntervalRecommendation:
    """A recommended calibration interval and the evidence behind it.

    ``shape`` is the Weibull β (1 for the exponential) of an ``mle`` fit. ``confidence_bounds`` is ``None`` for the staircase (it is not a statistical method); a bound
    that the data cannot close (too few out-of-tolerance results) is ``None`` inside the pair.
    """

    recommended_interval: float
    unit: str
    method: str
    observed_reliability: float
    target_reliability: float
    confidence_bounds: tuple[float | None, float | None] | None
    confidence_level: float | None = None
    model: str | None = None
    shape: float | None = None
    bounds_method: str | None = None
    note: str = ""
    # RP-1 A3's "reliability range": limits of the observed reliability (not of the interval)
    reliability_range: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, object]:
        """The public JSON contract of ``jiliang intervals recommend`` (issue 4, item 4), plus detail."""
        return {
            "recommended_interval": self.recommended_interval,
            "unit": self.unit,
            "method": self.method,
            "observed_reliability": self.observed_reliability,
            "target_reliability": self.target_reliability,
            "confidence_bounds": None if self.confidence_bounds is None else list(self.confidence_bounds),
            "confidence_level": self.confidence_level,
            "model": self.model,
            "shape": self.shape,
            "bounds_method": self.bounds_method,
            "note": self.note,
            "reliability_range": None if self.reliability_range is None else list(self.reliability_range),
        }
