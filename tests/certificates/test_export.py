"""Export of an issued record as a signed DCC 3.3.0 (issue 6 item 1)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.utils import translation

from jiliang import dcc
from jiliang.calibration import certificates, services
from jiliang.certificates.dsi import to_dsi
from jiliang.certificates.models import IssuedCertificate
from jiliang.cli.main import main
from jiliang.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from jiliang.registry.choices import Role
from jiliang.registry.policy import SYSTEM, Actor
from tests import factories
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("unit", "dsi"),
    [
        ("µm", r"\micro\metre"),
        ("mm", r"\milli\metre"),
        ("kPa", r"\kilo\pascal"),
        ("°C", r"\degreecelsius"),
        ("m/s^2", r"\metre\second\tothe{-2}"),
        ("g", r"\gram"),
    ],
)
def test_record_units_are_written_in_d_si(unit, dsi):
    assert to_dsi(unit) == dsi


def test_a_unit_without_d_si_form_is_refused():
    with pytest.raises(InvalidInput) as exc:
        to_dsi("furlong")
    assert exc.value.field == "unit"


def test_export_signs_a_schema_valid_dcc_and_stores_the_exact_bytes(issued):
    stored = certificates.sign(SYSTEM, issued)
    data = bytes(stored.signed_xml)
    report = dcc.validate(data)
    assert report.valid, report.findings
    assert report.schema_version == "3.3.0"
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    cert = dcc.parse(data)
    assert cert.core.unique_identifier == issued.certificate_number
    assert cert.core.issue_date == issued.issue_date
    assert cert.laboratory.name.get() == issued.institution.name
    quantities = [q for mr in cert.measurement_results for r in mr.results for q in r.quantities]
    measured = [q for q in quantities if q.ref_type != "basic_nominalValue"]
    assert [q.values[0] for q in measured] == [Decimal("10.2"), Decimal("20.35")]
    assert {q.unit for q in quantities} == {r"\micro\metre"}
    assert [q.uncertainty.values[0] for q in measured] == [Decimal("0.5"), Decimal("0.4")]
    assert all(q.uncertainty.coverage_factor == 2.0 for q in measured)
    traceability = cert.statements_of("basic_metrologicalTraceability")[0].declaration.get("en")
    usage = issued.usages.first()
    assert usage.certificate.certificate_number in traceability
    assert cert.statements_of("basic_conformity")[0].declaration.get("en") == (
        "Decision rule: Simple acceptance (w = 0); #1: accept; #2: accept"
    )
    anchors = dcc.load_certificates(stored.signer_certificate.encode())
    assert dcc.verify(data, anchors).ok


def test_export_twice_returns_the_same_stored_bytes(issued):
    first = certificates.sign(SYSTEM, issued)
    again = certificates.sign(SYSTEM, issued)
    assert again.pk == first.pk and bytes(again.signed_xml) == bytes(first.signed_xml)
    assert IssuedCertificate.objects.count() == 1


def test_export_refuses_a_draft_and_an_institution_without_key(issued, keys_dir):
    draft = b.draft(b.lab(), factories.instrument())
    with pytest.raises(Conflict):
        certificates.sign(SYSTEM, draft)
    other = b.lab()
    record = b.issued(other, factories.instrument(), [{"standard": b.primary()}])
    with pytest.raises(NotFound) as exc:
        certificates.sign(SYSTEM, record)
    assert f"jiliang keys create institution-{other.institution.pk}" in str(exc.value)


def test_cli_export_writes_the_stored_bytes(issued, tmp_path, capsys):
    out = tmp_path / "c.xml"
    assert main(["dcc", "export", issued.certificate_number, "-o", str(out)]) == 0
    stored = IssuedCertificate.objects.get(record=issued)
    assert out.read_bytes() == bytes(stored.signed_xml)
    assert main(["dcc", "validate", str(out)]) == 0
    assert main(["dcc", "export", "NO-SUCH-NUMBER", "-o", str(out)]) == 1


def test_revoked_record_keeps_its_exported_certificate(issued):
    stored = certificates.sign(SYSTEM, issued)
    services.revoke_record(SYSTEM, issued, "wrong standard used")
    assert certificates.sign(SYSTEM, issued).pk == stored.pk


@pytest.mark.parametrize(
    ("kind", "unit"), [("verification", "kPa"), ("calibration", "°C"), ("calibration", "m/s^2")]
)
def test_every_exported_dcc_is_schema_valid_for_standards_and_verifications(
    keys_dir, key_material, kind, unit
):
    from jiliang.cli import keystore

    at = b.lab()
    record = b.issued(
        at,
        b.examined_standard(),
        [{"standard": b.primary(uncertainty_unit=unit)}],
        [b.point(unit=unit)],
        kind=kind,
    )
    keystore.add(certificates.key_name(record), key_material, new=True)
    data = bytes(certificates.sign(SYSTEM, record).signed_xml)
    report = dcc.validate(data)
    assert report.valid, report.findings
    assert not [f for f in report.findings if f.layer == "units"]
    assert dcc.parse(data).items[0].name.get("en") == record.standard.name


def test_only_who_may_issue_signs_and_readers_get_the_stored_dcc_or_dcc_not_signed(issued):
    staff = Actor("staff", 1, Role.STAFF, issued.institution_id)
    approver = Actor("approver", 2, Role.APPROVER, issued.institution_id)
    with pytest.raises(certificates.DccNotSigned) as unsigned:
        certificates.stored(issued)
    with translation.override("en"):  # worded when shown, in the active language
        assert str(unsigned.value) == (
            f"the DCC of {issued.certificate_number} has not been signed yet; "
            f"an approver of {issued.institution} (or an administrator) can sign it"
        )
    with translation.override("zh-hans"):
        assert str(unsigned.value) == (
            f"{issued.certificate_number} 的数字校准证书（DCC）尚未签署；"
            f"可由{issued.institution}的批准人（或管理员）签署"
        )
    with pytest.raises(PermissionDenied):
        certificates.sign(staff, issued)
    assert not IssuedCertificate.objects.exists()
    signed = certificates.sign(approver, issued)
    assert certificates.stored(issued).pk == signed.pk
    with pytest.raises(PermissionDenied):
        certificates.sign(staff, issued)  # even when a DCC is stored: signing is the issuer's act
    draft = b.draft(b.lab(), factories.instrument())
    with pytest.raises(Conflict):
        certificates.stored(draft)
