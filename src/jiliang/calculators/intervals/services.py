"""Use cases of the interval calculator; the web page and the REST API both call these."""

from __future__ import annotations

from jiliang.errors import InvalidInput
from jiliang.intervals import (
    DEFAULT_TARGET,
    History,
    IntervalRecommendation,
    history_from_csv,
    history_from_rows,
    recommend,
)

MAX_UPLOAD = 20 * 1024 * 1024


def read_upload(data: bytes) -> str:
    if len(data) > MAX_UPLOAD:
        raise InvalidInput("history", f"the file is larger than {MAX_UPLOAD // 2**20} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("history", "the file is not UTF-8 text") from None


def recommend_interval(
    history: History,
    *,
    target: float = DEFAULT_TARGET,
    method: str = "mle",
    model: str = "best",
    confidence: float = 0.95,
    current_interval: float | None = None,
) -> IntervalRecommendation:
    """``jiliang intervals recommend``: the next interval by the named method."""
    return recommend(
        history,
        target=target,
        method=method,
        model=model,
        confidence=confidence,
        current_interval=current_interval,
    )


def history_from_upload(data: bytes, unit: str = "d") -> History:
    return history_from_csv(read_upload(data), unit=unit)


def history_from_json_rows(rows: list[dict[str, object]], unit: str = "d") -> History:
    """JSON rows use the CSV's column names; values may be numbers and booleans."""

    def text(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InvalidInput("rows", "must be a list of objects with interval and in_tolerance")
    cleaned = ({k: text(v) for k, v in row.items()} for row in rows)
    return history_from_rows(cleaned, unit=unit, first_line=0, where="rows[{n}].")
