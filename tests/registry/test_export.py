"""``jiliang export`` writes the import's formats: export, empty the registry, import, export again
gives the same file."""

import io
from datetime import date
from decimal import Decimal

import pytest

from jiliang.cli.main import main
from jiliang.registry import models as m
from jiliang.registry.bulk import export_records, import_file
from tests import factories as f

pytestmark = pytest.mark.django_db


def _populate():
    lab = f.institution(
        kind="legal",
        cnas_number="CNAS L0099",
        accreditation_valid_until=date(2029, 6, 30),
        accreditation_scope='长度, 热学\n"quoted", commas',
    )
    owner = f.institution(kind="enterprise", district=None, address="徐汇区 1 号")
    spec = m.TechnicalSpecification.objects.create(
        code="JJF(沪)98-2024", title="测试规范", kind="local_specification", default_interval_months=24
    )
    m.Authorisation.objects.create(
        institution=lab,
        activity="verification",
        area=f.area(),
        specification=spec,
        valid_from=date(2024, 1, 1),
        valid_until=date(2028, 12, 31),
        items="水表",
    )
    person = f.person(
        institution=lab,
        metrologist_level=1,
        registration_number="R-1",
        registration_valid_until=date(2027, 1, 1),
    )
    person.authorised_categories.set([f.category("taximeter"), f.category("gas_meter_g16")])
    f.person(institution=owner, role="approver")
    f.standard(
        owner=lab,
        expanded_uncertainty=Decimal("0.000012"),
        coverage_factor=Decimal("2.58"),
        certificate_number="[2021]沪量标证字第5号",
        certificate_valid_until=date(2026, 1, 1),
    )
    f.standard(owner=lab, expanded_uncertainty=None, coverage_factor=None, mpe="±0.5 %")
    f.reference_material(producer=lab, certified_value=Decimal("1234.5"))
    for i in range(5):
        f.instrument(owner=owner, serial_number=f"RT{i}", last_verification=None, next_due=None)
    f.instrument(owner=owner, serial_number="RT9", location='浦东, 仓库 "B"', district=f.district("310115"))


def _wipe():
    for model in (
        m.Instrument,
        m.ReferenceMaterial,
        m.MeasurementStandard,
        m.Person,
        m.Authorisation,
        m.Institution,
        m.TechnicalSpecification,
    ):
        model.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_round_trip(tmp_path, fmt):
    _populate()
    first = io.StringIO()
    counts = export_records(first, fmt)
    assert counts["instrument"] == 6 and counts["person"] == 2 and counts["specification"] == 24
    _wipe()
    path = tmp_path / f"registry.{fmt}"
    path.write_text(first.getvalue(), encoding="utf-8")
    assert import_file(path).counts == counts
    second = io.StringIO()
    export_records(second, fmt)
    assert second.getvalue() == first.getvalue()


def test_cli_export_to_a_file_by_type(tmp_path):
    _populate()
    out = tmp_path / "instruments.csv"
    assert main(["export", "--type", "instrument", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("type,category,manufacturer,model,serial_number,owner")
    assert len(lines) == 7
    assert main(["export", "--type", "gadget"]) == 2
