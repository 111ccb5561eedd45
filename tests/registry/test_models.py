"""Model constraints hold in the database itself (not only in forms)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jiliang.registry import models
from tests import factories as f

pytestmark = pytest.mark.django_db


def _rejected(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_catalogues_are_seeded():
    assert models.MeasurementArea.objects.count() == 10
    assert models.District.objects.count() == 16
    water = f.category("water_meter_dn15_25")
    assert water.compulsory_verification and water.verification_form == "first_limited_life"
    assert water.service_life_months == 72
    assert f.category("clinical_thermometer").verification_form == "first_scrap"
    assert f.category("taximeter").specification.code == "JJG 517-2016"
    assert not f.category("caliper").compulsory_verification
    assert models.TechnicalSpecification.objects.get(code="JJF(沪)57-2018").kind == "local_specification"


def test_area_name_follows_language():
    from django.utils import translation

    with translation.override("en"):
        assert str(f.area("time_frequency")) == "Time and frequency"
    with translation.override("zh-hans"):
        assert str(f.area("time_frequency")) == "时间频率"


def test_compulsory_category_needs_its_form():
    _rejected(
        lambda: models.InstrumentCategory.objects.create(
            code="x", name_zh="x", name_en="x", area=f.area(), compulsory_verification=True
        )
    )
    _rejected(
        lambda: models.InstrumentCategory.objects.create(
            code="y",
            name_zh="y",
            name_en="y",
            area=f.area(),
            verification_form="periodic",
            default_interval_months=12,
        )
    )


def test_instrument_identity_is_unique_per_manufacturer_and_model():
    first = f.instrument(serial_number="A1")
    f.instrument(serial_number="A1", manufacturer="Other Works")  # another maker: allowed
    _rejected(lambda: f.instrument(serial_number="A1", manufacturer=first.manufacturer, model=first.model))


def test_instrument_due_date_not_before_last_verification():
    _rejected(lambda: f.instrument(last_verification=date(2024, 5, 1), next_due=date(2024, 4, 1)))
    _rejected(lambda: f.instrument(interval_months=0))
    _rejected(lambda: f.instrument(serial_number=""))


def test_standard_needs_u_with_k_or_class_or_mpe():
    _rejected(lambda: f.standard(coverage_factor=None))
    _rejected(lambda: f.standard(expanded_uncertainty=None, coverage_factor=None))
    _rejected(lambda: f.standard(expanded_uncertainty=Decimal("-1")))
    assert f.standard(expanded_uncertainty=None, coverage_factor=None, accuracy_class="0.02").pk
    _rejected(lambda: f.standard(certificate_number="[2020]沪量标证字第1号"))


def test_reference_material_u_positive_and_number_unique():
    rm = f.reference_material()
    _rejected(lambda: f.reference_material(number=rm.number))
    _rejected(lambda: f.reference_material(expanded_uncertainty=Decimal("0")))


def test_person_qualification_is_complete_or_absent():
    _rejected(lambda: f.person(metrologist_level=1))
    p = f.person(metrologist_level=2, registration_number="R-1", registration_valid_until=date(2028, 1, 1))
    _rejected(
        lambda: f.person(
            metrologist_level=1, registration_number="R-1", registration_valid_until=date(2028, 1, 1)
        )
    )
    assert p.is_registered_metrologist


def test_authorisation_validity_range_and_accreditation():
    inst = f.institution()
    _rejected(
        lambda: models.Authorisation.objects.create(
            institution=inst,
            activity="verification",
            area=f.area(),
            valid_from=date(2025, 1, 1),
            valid_until=date(2024, 1, 1),
        )
    )
    _rejected(lambda: f.institution(cnas_number="CNAS L0001"))


def test_field_validators_run_in_full_clean():
    inst = f.institution()
    inst.credit_code = "91350100M000100Y44"
    with pytest.raises(ValidationError) as err:
        inst.full_clean()
    assert "credit_code" in err.value.message_dict
