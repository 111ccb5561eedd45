"""Build DCC 3.3.0 from frozen data, parse DCC 2.4.0-3.3.0 back (issue 6 item 1)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from jiliang.dcc import ExpandedUncertainty, Quantity, Result, Text, build, parse, validate
from jiliang.dcc.schema import load_schema
from jiliang.errors import InvalidInput

from .builders import data, sample_certificate

SI = "{https://ptb.de/si}"


def test_built_dcc_validates_against_the_bundled_330_xsd():
    xml = build(sample_certificate())
    tree = etree.fromstring(xml).getroottree()
    assert load_schema("3.3.0").validate(tree)  # independent of validate()
    assert validate(xml).valid
    assert validate(xml).findings == ()


def test_build_writes_dsi_221_quantities():
    root = etree.fromstring(build(sample_certificate()))
    real = root.find(f".//{SI}real")
    assert real.findtext(f"{SI}value") == "0.12"
    assert real.findtext(f"{SI}unit") == r"\micro\metre"
    mu = real.find(f"{SI}measurementUncertaintyUnivariate/{SI}expandedMU")
    assert [
        mu.findtext(f"{SI}{t}") for t in ("valueExpandedMU", "coverageFactor", "coverageProbability")
    ] == [
        "0.05",
        "2.0",
        "0.95",
    ]
    lst = root.findall(f".//{SI}realListXMLList")
    assert [el.findtext(f"{SI}valueXMLList") for el in lst] == ["20.0 20.5", "50.00012 50.00013"]
    assert (
        lst[1].findtext(
            f"{SI}measurementUncertaintyUnivariateXMLList/{SI}expandedMUXMLList/{SI}valueExpandedMUXMLList"
        )
        == "0.000050 0.000060"
    )


def test_round_trip_is_lossless_for_the_model():
    cert = sample_certificate()
    assert parse(build(cert)) == cert


@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False), min_size=1, max_size=5),
    u=st.floats(0, 1e3, allow_nan=False, allow_subnormal=False),
    k=st.floats(1, 10, allow_nan=False),
    p=st.floats(0.5, 1, allow_nan=False),
)
def test_any_finite_quantity_round_trips_and_validates(values, u, k, p):
    q = Quantity(tuple(values), (r"\kelvin",), Text.of(en="T"), ExpandedUncertainty((u,), k, p))
    cert = sample_certificate(
        measurement_results=(
            dataclasses.replace(
                sample_certificate().measurement_results[0],
                results=(Result(Text.of(zh="结果", en="Result"), (q,)),),
            ),
        )
    )
    back = parse(build(cert)).measurement_results[0].results[0].quantities[0]
    assert tuple(float(v) for v in back.values) == tuple(values)  # floats survive exactly
    assert float(back.uncertainty.values[0]) == u
    assert (back.uncertainty.coverage_factor, back.uncertainty.coverage_probability) == (k, p)


@pytest.mark.parametrize(
    ("quantity", "field"),
    [
        (Quantity((1.0,), ("%",)), "units"),
        (Quantity((1.0,), (r"\degreeCelsius",)), "units"),
        (Quantity((1.0,), (r"\kelvin",), uncertainty=ExpandedUncertainty((-0.1,), 2, 0.95)), "uncertainty"),
        (
            Quantity((1.0,), (r"\kelvin",), uncertainty=ExpandedUncertainty((0.1,), 0.5, 0.95)),
            "coverage_factor",
        ),
        (Quantity((1.0,), (r"\kelvin",), uncertainty=ExpandedUncertainty((0.1,), 2, 95)), "uncertainty"),
        (Quantity((float("inf"),), (r"\kelvin",)), "values"),
        (Quantity((1.0, 2.0, 3.0), (r"\kelvin", r"\kelvin")), "units"),
        (Quantity((), (r"\kelvin",)), "values"),
    ],
)
def test_build_refuses_what_it_must_not_write(quantity, field):
    result = Result(Text.of(zh="结果", en="Result"), (quantity,))
    mr = dataclasses.replace(sample_certificate().measurement_results[0], results=(result,))
    with pytest.raises(InvalidInput) as info:
        build(sample_certificate(measurement_results=(mr,)))
    assert field in info.value.field
    assert "measurement_results[0].results[0].quantities[0]" in info.value.field


def test_build_fails_closed_on_a_broken_business_rule():
    core = dataclasses.replace(sample_certificate().core, end_performance_date=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as info:
        build(sample_certificate(core=core))
    assert "dates.performanceOrder" in str(info.value)
    assert "endPerformanceDate" in info.value.field


def test_build_fails_closed_on_an_xsd_error():
    core = dataclasses.replace(sample_certificate().core, country_code="cn")  # must be upper case
    with pytest.raises(InvalidInput, match="countryCodeISO3166_1"):
        build(sample_certificate(core=core))


def test_parse_reads_deprecated_expanded_unc_of_dcc_240():
    cert = parse(data("ptb_example_v2.4.0.xml"))
    assert cert.schema_version == "2.4.0"
    quantities = [q for mr in cert.measurement_results for r in mr.results for q in r.quantities]
    with_u = [q for q in quantities if q.uncertainty is not None]
    assert with_u, "2.4.0 example carries si:expandedUnc"
    assert all(q.uncertainty.coverage_factor >= 1 for q in with_u)


def test_parse_reads_the_fuller_skeleton():
    cert = parse(data("skeleton-full.xml"))
    assert cert.core.used_languages == ("en", "de")
    assert cert.items[0].name.get("de") == "Platin-Widerstandsthermometer"
    assert [i.value for i in cert.items[0].identifications] == ["SN-123456", "INV-0815"]
    assert cert.statements_of("basic_conformity")[0].conformity == "pass"
    assert cert.statements_of("basic_metrologicalTraceability")[0].traceable is True
    listed = cert.measurement_results[0].results[0].quantities[1]
    assert [str(v) for v in listed.values] == ["92.1602", "100.0120", "138.5055"]  # digits as written
    assert listed.uncertainty == ExpandedUncertainty(
        (Decimal("0.0020"), Decimal("0.0020"), Decimal("0.0025")), 2.0, 0.95, "normal"
    )
    hybrid = cert.measurement_results[0].results[0].quantities[2]
    assert hybrid.values == (Decimal("0.004"),) and hybrid.unit == r"\kelvin"


def test_parse_reports_a_missing_identifier_by_path():
    doc = data("minimal-valid.xml").replace(
        b"<dcc:uniqueIdentifier>EXAMPLE-2025-0001</dcc:uniqueIdentifier>", b""
    )
    with pytest.raises(InvalidInput, match="uniqueIdentifier"):
        parse(doc)


def test_parse_refuses_a_document_that_is_not_a_dcc():
    with pytest.raises(InvalidInput, match="root element"):
        parse(b"<html/>")
