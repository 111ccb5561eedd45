"""Property: whatever frozen data the builder accepts, the DCC it writes is schema-valid and
parses back to the same data; whatever it refuses, it refuses with InvalidInput."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiliang.dcc import (
    ExpandedUncertainty,
    Identification,
    Item,
    MeasurementResult,
    Quantity,
    Result,
    Text,
    build,
    parse,
    validate,
)
from jiliang.errors import InvalidInput

from .builders import sample_certificate

UNITS = [
    r"\metre",
    r"\kilo\gram",
    r"\micro\metre",
    r"\degreecelsius",
    r"\ohm",
    r"\metre\second\tothe{-1}",
    r"\percent",
]
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
clean = words.map(lambda s: s.strip(" \t\n\r")).filter(bool)  # XML whitespace around a text is not kept
decimals = st.decimals(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False, places=6)
texts = st.builds(lambda zh, en: Text((("zh", zh), ("en", en))), clean, clean)


@st.composite
def quantities(draw):
    n = draw(st.integers(1, 4))
    values = tuple(draw(st.lists(decimals, min_size=n, max_size=n)))
    u = draw(
        st.none()
        | st.builds(
            lambda us, k, p: ExpandedUncertainty(us, k, p),
            st.lists(decimals.map(abs), min_size=1, max_size=1).map(tuple),
            st.sampled_from([1.0, 2.0, 2.5, 3.0]),
            st.sampled_from([0.6827, 0.95, 0.9545, 0.99]),
        )
    )
    return Quantity(
        values, (draw(st.sampled_from(UNITS)),), draw(st.none() | texts), u, draw(st.none() | words)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    uid=words,
    item=texts,
    serial=words,
    qs=st.lists(quantities(), min_size=1, max_size=3),
    days=st.integers(0, 30),
)
def test_build_is_valid_or_refuses_with_invalid_input(uid, item, serial, qs, days):
    base = sample_certificate()
    begin = dt.date(2026, 1, 1)
    cert = dataclasses.replace(
        base,
        core=dataclasses.replace(
            base.core,
            unique_identifier=uid,
            begin_performance_date=begin,
            end_performance_date=begin + dt.timedelta(days=days),
            issue_date=None,
        ),
        items=(Item(item, (Identification("manufacturer", serial),)),),
        measurement_results=(
            MeasurementResult(
                Text.of(zh="结果", en="Results"), (Result(Text.of(zh="值", en="Values"), tuple(qs)),)
            ),
        ),
    )
    try:
        xml = build(cert)
    except InvalidInput:
        return
    assert validate(xml).valid
    assert parse(xml) == cert
