"""An imported third-party DCC is a link of the traceability chain by itself (issue 6 item 5):
the chain of a record that used the standard shows the external calibration (issuer, dates,
uncertainty, the DCC's validation verdict) and ends there when the importer names the CIPM MRA
reference; a DCC that failed validation, has expired or has no recalibration date breaks it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jiliang import dcc
from jiliang.calibration import services as record_services
from jiliang.certificates.imports import add_period, import_dcc, recalibration_due
from jiliang.cli.main import main
from jiliang.errors import InvalidInputs
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import queries
from tests import factories
from tests.calibration import builders as b
from tests.dcc.builders import sample_certificate

pytestmark = pytest.mark.django_db
MRA = "EURAMET-L-DE-00000J3F-1"


def ptb_dcc(
    number: str = "PTB-2025-0815", calibrated: dt.date = dt.date(2025, 1, 10), recalibration: object = "date"
) -> bytes:
    """A DCC of PTB (built here; the content is what a PTB DCC of a gauge block carries)."""
    cert = sample_certificate()
    statements = list(cert.statements)
    if recalibration == "date":
        statements.append(
            dcc.Statement(
                dcc.Text.of(zh="复校日期", en="Recalibration due"),
                ref_type="basic_recalibration",
                date=dt.date(calibrated.year + 1, calibrated.month, calibrated.day),
            )
        )
    elif recalibration:
        statements.append(
            dcc.Statement(dcc.Text.of(zh="复校间隔", en="Recalibration interval"), ref_type="basic_recalibration",
                          period=str(recalibration))
        )  # fmt: skip
    core = cert.core
    return dcc.build(
        sample_certificate(
            core=type(core)(
                unique_identifier=number,
                country_code="DE",
                used_languages=core.used_languages,
                mandatory_languages=core.mandatory_languages,
                begin_performance_date=calibrated - dt.timedelta(days=1),
                end_performance_date=calibrated,
                issue_date=calibrated + dt.timedelta(days=2),
            ),
            laboratory=dcc.Contact(
                dcc.Text.of("Physikalisch-Technische Bundesanstalt"),
                location=dcc.Location(city="Braunschweig", country_code="DE"),
            ),
            statements=tuple(statements),
        )
    )


def _english(reason) -> str:
    """A reason is worded when read: these tests read the English (both: tests/traceability/test_chain_language.py)."""
    with translation.override("en"):
        return reason.message


@pytest.fixture
def setup():
    return b.lab(), b.examined_standard(name="Gauge block 50 mm")


def _draft_using(at, standard, on=dt.date(2025, 3, 1)):
    record = b.draft(at, factories.instrument(), calibration_date=on, valid_until=on + dt.timedelta(days=300))
    record_services.add_result(SYSTEM, record, b.point(), [{"standard": standard}])
    return record


def test_a_record_traces_through_the_imported_dcc_to_the_cipm_mra(setup):
    at, standard = setup
    imported = import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test", cipm_mra_reference=MRA)
    assert imported.valid and imported.valid_until == dt.date(2026, 1, 10)
    record = b.issued(at, factories.instrument(), [{"standard": standard}])  # the issue guard accepts it
    data = queries.chain(record.pk).as_dict()
    assert data["verdict"] == "traceable", data["reasons"]
    node = next(n for n in data["nodes"] if n["source"] == "imported_dcc")
    assert node["id"] == -imported.pk
    assert node["certificate_number"] == "PTB-2025-0815"
    assert node["issuer"] == "Physikalisch-Technische Bundesanstalt"
    assert (node["calibration_date"], node["valid_until"]) == ("2025-01-10", "2026-01-10")
    assert node["cipm_mra_reference"] == MRA
    assert node["dcc"] == {
        "imported_id": imported.pk,
        "valid": True,
        "signature": "unsigned",
        "problem": None,
    }
    assert node["expanded_uncertainty_si"] == pytest.approx(0.05e-6)  # 0.05 µm, the DCC's smallest U
    (link,) = data["links"]
    assert link["to"] == -imported.pk and link["imported_dcc"] == imported.pk and link["dcc_valid"] is True
    assert link["issuer"] == "Physikalisch-Technische Bundesanstalt"


def test_without_a_cipm_mra_reference_the_chain_does_not_end_there(setup):
    at, standard = setup
    import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test")
    chain = queries.chain(_draft_using(at, standard).pk)
    assert chain.verdict == "broken"
    (reason,) = chain.reasons
    assert reason.code == "missing_link" and "names no CIPM MRA reference" in _english(reason)


def test_a_dcc_that_failed_validation_breaks_the_chain_with_the_reason(setup):
    at, standard = setup
    bad = ptb_dcc().replace(
        b"<dcc:beginPerformanceDate>2025-01-09<", b"<dcc:beginPerformanceDate>2025-01-11<"
    )
    imported = import_dcc(standard, bad, file_name="bad.xml", by="test", cipm_mra_reference=MRA)
    assert not imported.valid
    record = _draft_using(at, standard)
    chain = queries.chain(record.pk)
    assert chain.verdict == "broken"
    (reason,) = chain.reasons
    assert reason.code == "invalid_dcc" and reason.record == -imported.pk
    assert (
        "failed validation: rules: endPerformanceDate 2025-01-10 is before beginPerformanceDate"
        in _english(reason)
    )
    assert chain.as_dict()["links"][0]["dcc_valid"] is False
    record_services.check_record(SYSTEM, record)
    # nor may the record be issued (the guard words it in the active language)
    with pytest.raises(InvalidInputs, match="failed validation"), translation.override("en"):
        record_services.issue_record(SYSTEM, record, min_uncertainty_ratio=b.RATIO)


def test_a_dcc_expired_at_the_time_of_use_breaks_the_chain(setup):
    at, standard = setup
    import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test", cipm_mra_reference=MRA)
    record = _draft_using(at, standard, on=dt.date(2026, 2, 1))
    (reason,) = queries.chain(record.pk).reasons
    assert reason.code == "expired_link"
    assert "PTB-2025-0815" in _english(
        reason
    ) and "not valid on 2026-02-01 (2025-01-10 to 2026-01-10)" in _english(reason)
    record_services.check_record(SYSTEM, record)
    with pytest.raises(InvalidInputs, match="was not valid on 2026-02-01"), translation.override("en"):
        record_services.issue_record(SYSTEM, record, min_uncertainty_ratio=b.RATIO)


def test_a_dcc_without_a_recalibration_date_breaks_the_chain_until_one_is_given(setup):
    at, standard = setup
    imported = import_dcc(
        standard, ptb_dcc(recalibration=None), file_name="ptb.xml", by="test", cipm_mra_reference=MRA
    )
    assert imported.valid_until is None
    (reason,) = queries.chain(_draft_using(at, standard).pk).reasons
    assert reason.code == "expired_link" and "has no recalibration date" in _english(reason)
    other = b.examined_standard()
    given = import_dcc(
        other, ptb_dcc(recalibration=None), file_name="ptb.xml", by="test",
        cipm_mra_reference=MRA, valid_until=dt.date(2025, 12, 31),
    )  # fmt: skip
    assert given.valid_until == dt.date(2025, 12, 31)
    assert queries.chain(_draft_using(at, other).pk).verdict == "traceable"


def test_the_dcc_calibrated_last_before_the_use_is_the_link(setup):
    at, standard = setup
    old = import_dcc(
        standard, ptb_dcc("PTB-2024-1", dt.date(2024, 1, 10)), file_name="a", by="t", cipm_mra_reference=MRA
    )
    new = import_dcc(
        standard, ptb_dcc("PTB-2025-2", dt.date(2025, 1, 10)), file_name="b", by="t", cipm_mra_reference=MRA
    )
    later = import_dcc(
        standard, ptb_dcc("PTB-2026-3", dt.date(2026, 1, 5)), file_name="c", by="t", cipm_mra_reference=MRA
    )
    assert {n.id for n in queries.chain(_draft_using(at, standard).pk).nodes} >= {-new.pk}
    in_2024 = queries.chain(_draft_using(at, standard, on=dt.date(2024, 6, 1)).pk)
    assert in_2024.verdict == "traceable" and -old.pk in {n.id for n in in_2024.nodes}
    in_2026 = queries.chain(_draft_using(at, standard, on=dt.date(2026, 1, 7)).pk)
    assert in_2026.verdict == "traceable" and -later.pk in {n.id for n in in_2026.nodes}
    before_any = queries.chain(_draft_using(at, standard, on=dt.date(2023, 6, 1)).pk)
    assert [r.code for r in before_any.reasons] == ["expired_link"]


def test_uncertainty_must_grow_below_the_imported_dcc(setup):
    at, standard = setup
    import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test", cipm_mra_reference=MRA)
    record = b.draft(at, factories.instrument())
    record_services.add_result(
        SYSTEM, record, b.point(expanded_uncertainty=Decimal("0.04")), [{"standard": standard}]
    )
    (reason,) = queries.chain(record.pk).reasons
    assert reason.code == "uncertainty_not_growing" and "PTB-2025-0815" in _english(reason)


def test_the_chain_with_imports_takes_five_queries(setup):
    at, standard = setup
    import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test", cipm_mra_reference=MRA)
    record = _draft_using(at, standard)
    with CaptureQueriesContext(connection) as ctx:
        queries.chain(record.pk)
    assert len(ctx.captured_queries) == 5


def test_an_invalid_dcc_of_a_record_in_the_chain_breaks_it():
    foreign = b.lab(kind="nmi")
    standard = b.examined_standard()
    number = "PTB-2025-0815"
    cert = b.issued(foreign, standard, [{"standard": b.primary()}], [b.point(expanded_uncertainty=Decimal("0.02"))],
                    certificate_number=number,
                    calibration_date=dt.date(2025, 1, 10), valid_until=dt.date(2026, 1, 10))  # fmt: skip
    bad = ptb_dcc().replace(
        b"<dcc:beginPerformanceDate>2025-01-09<", b"<dcc:beginPerformanceDate>2025-01-11<"
    )
    import_dcc(standard, bad, file_name="bad.xml", by="test", record=cert)
    at = b.lab()
    user = b.issued(at, factories.instrument(), [{"standard": standard, "certificate": cert}])
    chain = queries.chain(user.pk)
    assert [(r.code, r.record) for r in chain.reasons] == [("invalid_dcc", cert.pk)]


def test_cli_import_names_the_mra_reference_and_due_date(setup, tmp_path, capsys):
    at, standard = setup
    path = tmp_path / "ptb.xml"
    path.write_bytes(ptb_dcc(recalibration=None))
    args = ["dcc", "import", str(path), "--standard", str(standard.pk)]
    assert main([*args, "--valid-until", "2025-13-01"]) == 2
    assert "--valid-until" in capsys.readouterr().err
    assert main([*args, "--valid-until", "2025-12-31", "--cipm-mra-reference", MRA]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["valid_until"], out["cipm_mra_reference"], out["valid"]) == ("2025-12-31", MRA, True)
    assert queries.chain(_draft_using(at, standard).pk).verdict == "traceable"


def test_the_chain_page_shows_the_imported_dcc(setup, client):
    at, standard = setup
    imported = import_dcc(standard, ptb_dcc(), file_name="ptb.xml", by="test", cipm_mra_reference=MRA)
    record = b.issued(at, factories.instrument(), [{"standard": standard}])
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    html = client.get(f"/traceability/chain/{record.pk}/").content.decode()
    assert 'data-verdict="traceable"' in html
    assert f'data-imported-dcc="{imported.pk}"' in html and "PTB-2025-0815" in html


def test_recalibration_dates_from_the_dcc():
    assert add_period(dt.date(2025, 1, 31), "P1M") == dt.date(2025, 2, 28)
    assert add_period(dt.date(2024, 2, 29), "P1Y") == dt.date(2025, 2, 28)
    assert add_period(dt.date(2025, 1, 10), "P2Y6M") == dt.date(2027, 7, 10)
    assert add_period(dt.date(2025, 1, 10), "P2W3D") == dt.date(2025, 1, 27)
    assert add_period(dt.date(2025, 1, 10), "P") is None and add_period(dt.date(2025, 1, 10), "1Y") is None
    assert recalibration_due(dcc.parse(ptb_dcc(recalibration="P1Y"))) == dt.date(2026, 1, 10)
    # PTB's GEMIMEG example (tests/dcc/data): basic_recalibration dcc:date 1959-10-22
    from tests.certificates.test_imports import SIGNED

    assert recalibration_due(dcc.parse(SIGNED.read_bytes())) == dt.date(1959, 10, 22)
