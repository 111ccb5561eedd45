"""Probability distributions of input quantities (JCGM 101 6.4) with explicitly named parameters.

Every distribution knows its expectation, its standard deviation (the standard uncertainty the GUM
method uses) and how to draw samples vectorised from an injected ``numpy.random.Generator``.
``ppf`` (the inverse CDF) serves the Gaussian copula used for correlated non-normal inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from jiliang.errors import InvalidInput

FloatArray = np.ndarray


@dataclass(frozen=True)
class Distribution:
    """Base of the input distributions; ``dof`` is the degrees of freedom of u (inf by default)."""

    dof: float

    @property
    def mean(self) -> float:
        raise NotImplementedError

    @property
    def std(self) -> float:
        raise NotImplementedError

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        raise NotImplementedError

    def ppf(self, q: FloatArray) -> FloatArray:
        raise NotImplementedError


@dataclass(frozen=True)
class Normal(Distribution):
    """Gaussian N(estimate, u²) (JCGM 101 6.4.7)."""

    estimate: float
    std_uncertainty: float

    mean = property(lambda self: self.estimate)
    std = property(lambda self: self.std_uncertainty)

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return rng.normal(self.estimate, self.std_uncertainty, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        return np.asarray(stats.norm.ppf(q, self.estimate, self.std_uncertainty))


@dataclass(frozen=True)
class StudentT(Distribution):
    """Scaled and shifted t (JCGM 101 6.4.9): X = estimate + scale · t_ν.

    With ``rescaled`` the scale was derived from a given standard deviation, so ``std`` is that
    value; otherwise the GUM method uses u = scale (the Type A convention, JCGM 101 6.4.9.7).
    """

    estimate: float
    scale: float
    rescaled: bool = False

    mean = property(lambda self: self.estimate)

    @property
    def std(self) -> float:
        if self.rescaled:
            return self.scale * math.sqrt(self.dof / (self.dof - 2))
        return self.scale

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return self.estimate + self.scale * rng.standard_t(self.dof, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        return np.asarray(stats.t.ppf(q, self.dof, self.estimate, self.scale))


@dataclass(frozen=True)
class Rectangular(Distribution):
    """Uniform R(a, b) (JCGM 101 6.4.2)."""

    lower: float
    upper: float

    mean = property(lambda self: (self.lower + self.upper) / 2)
    std = property(lambda self: (self.upper - self.lower) / math.sqrt(12))

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return rng.uniform(self.lower, self.upper, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        return self.lower + (self.upper - self.lower) * np.asarray(q)


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular T(a, c, b) (JCGM 101 6.4.5)."""

    lower: float
    mode: float
    upper: float

    mean = property(lambda self: (self.lower + self.mode + self.upper) / 3)

    @property
    def std(self) -> float:
        a, c, b = self.lower, self.mode, self.upper
        return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return rng.triangular(self.lower, self.mode, self.upper, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        width = self.upper - self.lower
        c = (self.mode - self.lower) / width
        return np.asarray(stats.triang.ppf(q, c, self.lower, width))


@dataclass(frozen=True)
class Arcsine(Distribution):
    """U-shaped (arcsine) distribution on [x - a, x + a] (JCGM 101 6.4.6)."""

    estimate: float
    half_width: float

    mean = property(lambda self: self.estimate)
    std = property(lambda self: self.half_width / math.sqrt(2))

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        # JCGM 101 6.4.6.4: x + a·sin(2πr) with r uniform on [0, 1]
        return self.estimate + self.half_width * np.sin(2 * np.pi * rng.random(size))

    def ppf(self, q: FloatArray) -> FloatArray:
        return self.estimate - self.half_width * np.cos(np.pi * np.asarray(q))


@dataclass(frozen=True)
class Trapezoidal(Distribution):
    """Trapezoidal Trap(a, b, β), β = top width / base width (JCGM 101 6.4.4)."""

    lower: float
    upper: float
    beta: float

    mean = property(lambda self: (self.lower + self.upper) / 2)
    std = property(lambda self: (self.upper - self.lower) * math.sqrt((1 + self.beta**2) / 24))

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        # JCGM 101 6.4.4.4: a + (b - a)/2 · [(1 + β) r1 + (1 - β) r2]
        r = rng.random((2, size))
        half = (self.upper - self.lower) / 2
        return self.lower + half * ((1 + self.beta) * r[0] + (1 - self.beta) * r[1])

    def ppf(self, q: FloatArray) -> FloatArray:
        c, d = (1 - self.beta) / 2, (1 + self.beta) / 2
        return np.asarray(stats.trapezoid.ppf(q, c, d, self.lower, self.upper - self.lower))


@dataclass(frozen=True)
class CurvilinearTrapezoid(Distribution):
    """Rectangular with inexactly known half-width a ± d (JCGM 101 6.4.3)."""

    estimate: float
    half_width: float
    half_width_uncertainty: float

    mean = property(lambda self: self.estimate)

    @property
    def std(self) -> float:
        # JCGM 101 6.4.3.3: u² = a²/3 + d²/9 with a the half-width and d its half-range
        return math.sqrt(self.half_width**2 / 3 + self.half_width_uncertainty**2 / 9)

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        # JCGM 101 6.4.3.4: a_s = (a - d) + 2d·r1, then x + a_s(2 r2 - 1)
        r = rng.random((2, size))
        a_s = self.half_width - self.half_width_uncertainty + 2 * self.half_width_uncertainty * r[0]
        return self.estimate + a_s * (2 * r[1] - 1)

    def ppf(self, q: FloatArray) -> FloatArray:
        raise InvalidInput("correlations", "a curvilinear trapezoid cannot take part in a correlation")


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with the given mean (JCGM 101 6.4.10); u equals the mean."""

    estimate: float

    mean = property(lambda self: self.estimate)
    std = property(lambda self: self.estimate)

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return rng.exponential(self.estimate, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        return np.asarray(stats.expon.ppf(q, 0, self.estimate))


@dataclass(frozen=True)
class Gamma(Distribution):
    """Gamma distribution moment-matched to the estimate and u (JCGM 101 6.4.11)."""

    estimate: float
    std_uncertainty: float

    mean = property(lambda self: self.estimate)
    std = property(lambda self: self.std_uncertainty)

    @property
    def shape(self) -> float:
        return (self.estimate / self.std_uncertainty) ** 2

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        return rng.gamma(self.shape, self.std_uncertainty**2 / self.estimate, size)

    def ppf(self, q: FloatArray) -> FloatArray:
        return np.asarray(stats.gamma.ppf(q, self.shape, 0, self.std_uncertainty**2 / self.estimate))
