"""Type A evaluation (GUM 4.2), correlation of means (5.2.3) and straight-line calibration (H.3)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class TypeA:
    """Mean q̄ (4.2.1), experimental standard deviation s(q_k) (4.2.2) and of the mean s(q̄) (4.2.3)."""

    mean: float
    std: float
    std_of_mean: float
    n: int
    dof: int


def _values(values: Sequence[float], field: str, minimum: int) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInput(field, "must be a list of numbers") from None
    if array.ndim != 1 or array.size < minimum:
        raise InvalidInput(field, f"needs at least {minimum} values")
    if not np.all(np.isfinite(array)):
        raise InvalidInput(field, "must contain only finite numbers")
    return array


def type_a(readings: Sequence[float], field: str = "readings") -> TypeA:
    """GUM 4.2: the mean of n independent readings and s(q̄) = s(q_k)/√n with ν = n − 1."""
    q = _values(readings, field, 2)
    s = float(q.std(ddof=1))
    return TypeA(float(q.mean()), s, s / math.sqrt(q.size), int(q.size), int(q.size - 1))


def pooled_std(groups: Sequence[Sequence[float]], field: str = "groups") -> tuple[float, int]:
    """Pooled experimental standard deviation s_p² = Σ ν_i s_i² / Σ ν_i (GUM 4.2.4, H.3.6)."""
    if not groups:
        raise InvalidInput(field, "needs at least one group of readings")
    parts = [_values(g, f"{field}[{i}]", 2) for i, g in enumerate(groups)]
    dof = sum(p.size - 1 for p in parts)
    ss = sum(float(((p - p.mean()) ** 2).sum()) for p in parts)
    return math.sqrt(ss / dof), dof


def correlation_of_means(q: Sequence[float], r: Sequence[float]) -> float:
    """r(q̄, r̄) = s(q̄, r̄) / (s(q̄) s(r̄)) from simultaneous readings (GUM 5.2.3, eq. 17)."""
    a, b = _values(q, "q", 2), _values(r, "r", 2)
    if a.size != b.size:
        raise InvalidInput("r", "needs as many readings as q")
    return float(np.corrcoef(a, b)[0, 1])


@dataclass(frozen=True)
class LineFit:
    """y = intercept + slope·(x − x0) with the covariance of the two parameters (GUM H.3)."""

    intercept: float
    slope: float
    u_intercept: float
    u_slope: float
    correlation: float
    residual_standard_deviation: float
    dof: int
    x0: float
    weighted: bool

    def predict(self, x: float) -> tuple[float, float]:
        """The fitted line at x and its standard uncertainty (GUM H.3.4, eq. H.16), not that of a
        new observation."""
        dx = x - self.x0
        cov = self.correlation * self.u_intercept * self.u_slope
        variance = self.u_intercept**2 + dx * dx * self.u_slope**2 + 2 * dx * cov
        return self.intercept + self.slope * dx, math.sqrt(max(variance, 0.0))


def fit_line(
    x: Sequence[float], y: Sequence[float], uy: Sequence[float] | None = None, x0: float = 0.0
) -> LineFit:
    """Least-squares straight line (GUM H.3.2); with ``uy`` weighted by 1/u² and the parameter
    covariance (XᵀWX)⁻¹ taken from the stated uncertainties, otherwise scaled by s² (H.3.3)."""
    xs, ys = _values(x, "x", 3), _values(y, "y", 3)
    if xs.size != ys.size:
        raise InvalidInput("y", f"has {ys.size} values but x has {xs.size}")
    if np.ptp(xs) == 0:
        raise InvalidInput("x", "needs at least two different values")
    weights = np.ones_like(xs)
    if uy is not None:
        us = _values(uy, "uy", xs.size)
        if us.size != xs.size or np.any(us <= 0):
            raise InvalidInput("uy", "needs one positive standard uncertainty per point")
        weights = 1.0 / us**2
    design = np.column_stack([np.ones_like(xs), xs - x0])
    normal = design.T @ (design * weights[:, None])
    params = np.linalg.solve(normal, design.T @ (weights * ys))
    residuals = ys - design @ params
    dof = xs.size - 2
    s2 = float((residuals**2).sum() / dof) if dof > 0 else math.nan
    cov = np.linalg.inv(normal) * (1.0 if uy is not None else s2)
    u = np.sqrt(np.diag(cov))
    corr = float(cov[0, 1] / (u[0] * u[1])) if u[0] > 0 and u[1] > 0 else 0.0
    return LineFit(
        float(params[0]),
        float(params[1]),
        float(u[0]),
        float(u[1]),
        corr,
        math.sqrt(s2),
        dof,
        x0,
        uy is not None,
    )
