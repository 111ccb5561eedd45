"""History rows: columns, flags, ordering and errors naming the line and column."""

import numpy as np
import pytest

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.intervals import history_from_rows, make_history


def test_rows_are_parsed_and_ordered_by_instrument_then_date():
    rows = [
        {"instrument": "B", "date": "2024-03-01", "interval": "180", "in_tolerance": "out"},
        {"instrument": "A", "date": "2024-01-01", "interval": "365", "in_tolerance": "yes"},
        {"instrument": "B", "date": "2023-09-01", "interval": "200", "in_tolerance": "1"},
    ]
    h = history_from_rows(rows)
    assert h.instrument == ("B", "B", "A")
    assert h.interval.tolist() == [200.0, 180.0, 365.0]
    assert h.in_tolerance.tolist() == [True, False, True]
    assert h.observed_reliability == pytest.approx(2 / 3)


def test_every_bad_value_is_reported_with_its_line():
    rows = [
        {"interval": "-5", "in_tolerance": "true"},
        {"interval": "100", "in_tolerance": "maybe"},
        {"interval": "x", "in_tolerance": "true", "date": "2024-13-01"},
    ]
    with pytest.raises(InvalidInputs) as exc:
        history_from_rows(rows)
    fields = [e.field for e in exc.value.errors]
    assert fields == ["line 2: interval", "line 3: in_tolerance", "line 4: interval"]


def test_missing_columns_and_empty_histories():
    with pytest.raises(InvalidInput) as exc:
        history_from_rows([{"interval": "100"}])
    assert "in_tolerance" in exc.value.reason
    with pytest.raises(InvalidInput) as exc:
        history_from_rows([])
    assert exc.value.field == "history"


def test_unit_must_be_a_time():
    with pytest.raises(InvalidInput) as exc:
        make_history(np.array([1.0]), np.array([True]), unit="m")
    assert exc.value.field == "unit"
    assert make_history(np.array([1.0]), np.array([True]), unit="month").unit == "month"
