"""Explainable risk score of an instrument in service (research notes, section 4): pure functions.

risk = impact x likelihood, the generic regulator pattern (UNECE WP.6 / RAPEX grading), with
every factor reported so that an inspector sees why an instrument ranks high:

* impact - the category's consequence class (safety > enforcement = health > environment > trade);
* likelihood - a weighted sum of: verification status (never verified, overdue by how long, due
  soon), failure history (Laplace-smoothed share of bad results among the inspection findings and
  the recent calibration and verification records: (failures + 1) / (results + 2), where a record
  fails when the instrument was out of tolerance as found), and age (years in service over the
  expected life).

The weights are this platform's proposal, not a quoted rule; they are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jiliang.errors import InvalidInput

IMPACT = {"safety": 1.0, "enforcement": 0.8, "health": 0.8, "environment": 0.6, "trade": 0.5, "other": 0.3}


@dataclass(frozen=True)
class Weights:
    status: float = 0.5
    failures: float = 0.3
    age: float = 0.2
    default_life_years: float = 10.0
    history_years: float = 5.0  # calibration/verification records older than this do not count

    def __post_init__(self) -> None:
        for name in ("status", "failures", "age"):
            if getattr(self, name) < 0:
                raise InvalidInput(f"weights.{name}", "must not be negative")
        if abs(self.status + self.failures + self.age - 1.0) > 1e-9:
            raise InvalidInput("weights", "status, failures and age must add up to 1")
        if not self.history_years > 0:
            raise InvalidInput("weights.history_years", "must be > 0")


@dataclass(frozen=True)
class Factor:
    name: str
    value: float  # the factor's own level in [0, 1]
    weight: float
    detail: str
    data: dict[str, object] = field(default_factory=dict)  # the numbers behind ``detail``


@dataclass(frozen=True)
class RiskScore:
    score: float  # 0..100
    band: str
    impact: float
    likelihood: float
    factors: tuple[Factor, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 1),
            "band": self.band,
            "impact": self.impact,
            "likelihood": round(self.likelihood, 3),
            "factors": [
                {
                    "name": f.name,
                    "value": round(f.value, 3),
                    "weight": f.weight,
                    "detail": f.detail,
                    "data": f.data,
                }
                for f in self.factors
            ],
        }


def _status(state: str, days_overdue: int) -> tuple[float, str]:
    if state == "never_verified":
        return 1.0, "never verified"
    if state == "overdue":
        return min(1.0, 0.5 + 0.5 * days_overdue / 365), f"overdue by {days_overdue} days"
    if state == "due_soon":
        return 0.2, "due soon"
    return 0.0, "verification current"


def _failure_detail(failures: int, inspections: int, bad_records: int, records: int, w: Weights) -> str:
    return (
        f"{failures} of {inspections} inspection findings nonconforming; {bad_records} of {records} "
        f"calibrations/verifications in the last {w.history_years:g} years out of tolerance as found"
    )


def score(
    consequence: str,
    state: str,
    days_overdue: int,
    failures: int,
    inspections: int,
    age_years: float,
    life_years: float | None = None,
    weights: Weights | None = None,
    record_failures: int = 0,
    records: int = 0,
) -> RiskScore:
    """Score one instrument; ``failures`` of ``inspections`` findings were nonconforming and
    ``record_failures`` of ``records`` recent calibration/verification records found it out of
    tolerance."""
    w = weights or Weights()
    if consequence not in IMPACT:
        raise InvalidInput("consequence", f"unknown consequence class {consequence!r}")
    if not 0 <= failures <= inspections:
        raise InvalidInput("failures", f"{failures} must lie between 0 and the {inspections} inspections")
    if not 0 <= record_failures <= records:
        raise InvalidInput(
            "record_failures", f"{record_failures} must lie between 0 and the {records} records"
        )
    if age_years < 0:
        raise InvalidInput("age_years", "must not be negative")
    status, status_text = _status(state, max(days_overdue, 0))
    # Laplace: no history -> 0.5, the uninformed prior; findings and records are pooled as results.
    failure = (failures + record_failures + 1) / (inspections + records + 2)
    life = life_years or w.default_life_years
    age = min(1.0, age_years / life)
    counts: dict[str, object] = {
        "failures": failures,
        "inspections": inspections,
        "record_failures": record_failures,
        "records": records,
        "history_years": w.history_years,
    }
    factors = (
        Factor(
            "status", status, w.status, status_text, {"state": state, "days_overdue": max(days_overdue, 0)}
        ),
        Factor(
            "failures",
            failure,
            w.failures,
            _failure_detail(failures, inspections, record_failures, records, w),
            counts,
        ),
        Factor(
            "age",
            age,
            w.age,
            f"{age_years:.1f} of {life:g} years",
            dict[str, object](age_years=round(age_years, 1), life_years=life),
        ),
    )
    likelihood = sum(f.value * f.weight for f in factors)
    impact = IMPACT[consequence]
    value = 100 * impact * likelihood
    band = "high" if value >= 50 else "medium" if value >= 25 else "low"
    return RiskScore(value, band, impact, likelihood, factors)
