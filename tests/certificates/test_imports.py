"""Import of third-party DCCs as the evidence of a standard's external calibration (issue 6
item 5), with PTB's GEMIMEG good-practice examples (tests/dcc/data, see SOURCES.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiliang.certificates.imports import import_dcc
from jiliang.certificates.models import ImportedCertificate
from jiliang.cli.main import main
from jiliang.errors import Conflict, InvalidInput
from jiliang.platform.models import AuditEntry
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "dcc" / "data"
SIGNED = DATA / "gemimeg_v3.2.0_signed.xml"
MANIPULATED = DATA / "gemimeg_v3.2.0_signed_manipulated.xml"


@pytest.fixture
def standard():
    return b.examined_standard()


def test_a_ptb_dcc_is_kept_with_its_validation_report(standard):
    data = SIGNED.read_bytes()
    imported = import_dcc(standard, data, file_name=SIGNED.name, by="test")
    assert imported.valid and imported.signature_status == "intact"
    assert imported.unique_identifier == "GP_DCC_temperature_typical_1.2"
    assert imported.issuer == "Kalibrierfirma GmbH"
    assert imported.schema_version == "3.2.0"
    assert bytes(imported.xml) == data
    assert imported.report["valid"] is True
    assert list(standard.imported_certificates.all()) == [imported]
    entry = AuditEntry.objects.get(action="import_dcc")
    assert entry.actor == "test" and entry.object_id == str(imported.pk)
    assert entry.after["sha256"] == imported.sha256 and entry.after["standard"] == standard.pk
    with pytest.raises(Conflict):
        import_dcc(standard, data, file_name=SIGNED.name, by="test")
    assert AuditEntry.objects.filter(action="import_dcc").count() == 1  # the refused one left none


def test_a_manipulated_dcc_is_kept_as_invalid_with_the_signature_finding(standard):
    imported = import_dcc(standard, MANIPULATED.read_bytes(), file_name=MANIPULATED.name, by="test")
    assert not imported.valid
    assert imported.signature_status == "tampered"
    assert any(f["layer"] == "signature" for f in imported.report["findings"])


def test_the_import_links_to_the_record_of_the_external_calibration(standard):
    foreign = b.lab(kind="nmi")
    record = b.issued(
        foreign,
        standard,
        [{"standard": b.primary()}],
        certificate_number="GP_DCC_temperature_typical_1.2",
        cipm_mra_reference="EURAMET-T-DE-0001",
    )
    imported = import_dcc(standard, SIGNED.read_bytes(), file_name=SIGNED.name, by="test", record=record)
    assert list(record.imported_dccs.all()) == [imported]
    other = b.issued(foreign, b.examined_standard(), [{"standard": b.primary()}])
    with pytest.raises(InvalidInput) as exc:
        import_dcc(
            standard, (DATA / "dcclib_valid_signature.xml").read_bytes(), file_name="x", by="t", record=other
        )
    assert exc.value.field == "record"


def test_not_a_dcc_is_refused_and_nothing_is_kept(standard):
    with pytest.raises(InvalidInput):
        import_dcc(standard, b"<!DOCTYPE a [<!ENTITY b 'c'>]><a>&b;</a>", file_name="x.xml", by="test")
    assert not ImportedCertificate.objects.exists()
    assert not AuditEntry.objects.filter(action="import_dcc").exists()


def test_cli_import(standard, capsys):
    assert main(["dcc", "import", str(SIGNED), "--standard", str(standard.pk)]) == 0
    assert '"valid": true' in capsys.readouterr().out
    assert main(["dcc", "import", str(SIGNED), "--standard", "999999"]) == 1
