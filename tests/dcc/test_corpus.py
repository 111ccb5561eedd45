"""The example corpus gives the verdicts recorded in shared/dcc/SOURCES.md (XSD against the
declared schemaVersion) and shared/research/dcc.md §7 (signatures)."""

from __future__ import annotations

import pytest

from jiliang.dcc import parse, validate

from .builders import SHARED, data

# file -> (XSD valid?, signature verdict: None = unsigned, True = intact, False = broken)
LOCAL = {
    "minimal-valid.xml": (True, None),
    "skeleton-full.xml": (True, None),
    "minimal-valid.signed-xades-ec.xml": (True, True),
    "minimal-valid.signed-xmldsig-rsa.xml": (True, True),
    "dcclib_valid_signature.xml": (True, True),
    "dcclib_invalid_signature.xml": (True, False),
    "dcclib_invalid_schema.xml": (False, None),
    "dcclib_invalid_schematron.xml": (True, None),
    "gemimeg_v3.2.0_signed.xml": (True, True),
    "gemimeg_v3.2.0_signed_manipulated.xml": (True, False),
    "ptb_example_v2.4.0.xml": (True, None),
}


def _verdicts(doc: bytes) -> tuple[bool, bool | None]:
    report = validate(doc)
    xsd_ok = not report.errors("xsd")
    signed = b"Signature" in doc and b"xmldsig#" in doc
    return xsd_ok, (not report.errors("signature")) if signed else None


@pytest.mark.parametrize("name", sorted(LOCAL))
def test_local_copies_give_the_recorded_verdicts(name):
    assert _verdicts(data(name)) == LOCAL[name]


def test_dcclib_schematron_fixture_breaks_the_language_rules():
    report = validate(data("dcclib_invalid_schematron.xml"))
    assert {f.rule for f in report.errors("rules")} >= {"languages.mandatoryUsed", "languages.declared"}


def test_empty_unique_identifier_is_both_an_xsd_and_a_rule_error():
    report = validate(data("dcclib_invalid_schema.xml"))
    assert any("uniqueIdentifier" in f.path for f in report.errors("xsd"))
    assert any(f.rule == "identifiers.nonEmpty" for f in report.errors("rules"))


# shared/dcc/SOURCES.md §3 and research §4: XSD verdict of every third-party and own example.
SHARED_XSD = {
    "minimal-valid.xml": True,
    "skeleton-full.xml": True,
    "signed-by-this-project/minimal-valid.signed-xmldsig-rsa.xml": True,
    "signed-by-this-project/minimal-valid.signed-xades-ec.xml": True,
    "ptb-dcclib-fixtures/valid.xml": True,
    "ptb-dcclib-fixtures/valid_signature.xml": True,
    "ptb-dcclib-fixtures/invalid_schematron.xml": True,
    "ptb-dcclib-fixtures/invalid_signature.xml": True,
    "ptb-dcclib-fixtures/invalid_schema.xml": False,
    "ptb-dcclib-fixtures/valid_formula.xml": False,  # MathML needs its own schema
    "ptb-xsd-dcc/dcc-vacuumlab-CDG_v3.1.1.xml": True,
    "ptb-xsd-dcc/dcc-vacuumlab-SRG_v3.1.1.xml": True,
    "ptb-xsd-dcc/example_v3.0.0.xml": True,
    "ptb-xsd-dcc/siliziumkugel_v3.0.0.xml": True,
    "ptb-xsd-dcc/example_v2.4.0.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_humidity_v1.0.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperatur_resistance_v12.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_extensive_v12.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_simplified_v12.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_adjustment_v12.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_QoX.xml": True,
    "ptb-gemimeg-pydcc/dcc_ngp_temperature_typical_v12_refType2ID.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_lt.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_lt_revoked.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_signed.xml": False,  # ds:Signature in 3.1.1
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_signed_manipulated.xml": False,
    "ptb-gemimeg-pydcc/signed_siliziumkugel.xml": False,  # ds:Signature in 2.4.0
    "ptb-gemimeg-pydcc/siliziumkugel_2_4_0.xml": True,
    "ptb-gemimeg-pydcc/siliziumkugel_wrong_schema.xml": False,  # dcc:named
    "dfm/2022-08-29_DFM_Template_Temperature.xml": False,  # §placeholders§
    "lutaml-dcc/sample_dcc.xml": False,  # no performanceLocation
    "lutaml-dcc/demo_cert.xml": False,
}
# research §7: signature verdicts with signxml (crypto only, no trust).
SHARED_SIGNATURE = {
    "ptb-dcclib-fixtures/valid_signature.xml": True,
    "ptb-dcclib-fixtures/invalid_signature.xml": False,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_lt.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_lt_revoked.xml": True,  # revocation is trust
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml": False,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_signed.xml": True,
    "ptb-gemimeg-pydcc/dcc_gp_temperature_typical_v12_signed_manipulated.xml": False,
    "ptb-gemimeg-pydcc/signed_siliziumkugel.xml": False,
}
needs_shared = pytest.mark.skipif(
    not (SHARED / "examples").is_dir(), reason="shared/dcc not beside the checkout"
)


@needs_shared
@pytest.mark.parametrize("name", sorted(SHARED_XSD))
def test_shared_corpus_xsd_verdicts(name):
    report = validate((SHARED / "examples" / name).read_bytes())
    assert (not report.errors("xsd")) is SHARED_XSD[name], report.errors("xsd")[:3]


@needs_shared
@pytest.mark.parametrize("name", sorted(SHARED_SIGNATURE))
def test_shared_corpus_signature_verdicts(name):
    report = validate((SHARED / "examples" / name).read_bytes())
    assert (not report.errors("signature")) is SHARED_SIGNATURE[name], report.errors("signature")


@needs_shared
def test_the_corpus_covers_every_dcc_in_shared():
    found = {str(p.relative_to(SHARED / "examples")) for p in (SHARED / "examples").rglob("*.xml")}
    assert {f for f in found if not f.startswith("dsi/") and "invalid_syntax" not in f} == set(SHARED_XSD)


@needs_shared
@pytest.mark.parametrize(
    "name",
    [n for n, ok in SHARED_XSD.items() if ok],
)
def test_every_schema_valid_example_parses(name):
    cert = parse((SHARED / "examples" / name).read_bytes())
    assert cert.core.unique_identifier
    assert cert.core.begin_performance_date <= cert.core.end_performance_date
    assert cert.items and cert.measurement_results
