"""Whatever bytes arrive (an upload), validation answers with a report or InvalidInput, never
an unexpected exception; and no mutation of a signed DCC still verifies."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiliang.dcc import check_signature, parse, validate
from jiliang.errors import InvalidInput

from .builders import data

SIGNED = data("minimal-valid.signed-xades-ec.xml")


@given(st.binary(max_size=2000))
def test_validate_never_crashes_on_arbitrary_bytes(blob):
    report = validate(blob)
    assert not report.valid or report.schema_version


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(st.integers(0, len(SIGNED) - 1), st.integers(0, 255))
def test_a_changed_byte_never_leaves_a_verifying_signature(position, value):
    mutated = bytearray(SIGNED)
    if mutated[position] == value:
        return
    mutated[position] = value
    doc = bytes(mutated)
    report = validate(doc)
    try:
        cert = parse(doc)
    except InvalidInput:
        cert = None
    check = check_signature(doc) if report.errors("xml") == () else None
    # Either the change is outside what is signed and harmless (e.g. whitespace inside the
    # XML prolog or the comment), or something notices it.
    if check is not None and check.intact:
        assert cert is None or cert == parse(SIGNED) or report.findings
