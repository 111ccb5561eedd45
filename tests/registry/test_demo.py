"""The demo region (issue 2 item 6) at a small scale: the promised counts, the same region for the
same seed, a different one for another seed, and reuse of a region already built."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from jiliang.platform import audit
from jiliang.registry import models as m
from jiliang.registry.demo import DEMO_USERS, build_region, planned_rows
from jiliang.registry.policy import actor_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def _fingerprint() -> tuple:
    return (
        tuple(
            m.Institution.objects.order_by("name").values_list(
                "name", "kind", "credit_code", "district__code"
            )
        ),
        tuple(m.Person.objects.order_by("registration_number").values_list("name", "registration_number")),
        tuple(
            m.MeasurementStandard.objects.order_by("certificate_number").values_list("name", "owner__name")
        ),
        tuple(m.ReferenceMaterial.objects.values_list("number", "certified_value", "expiry")),
        tuple(
            m.Instrument.objects.order_by("serial_number").values_list(
                "serial_number",
                "category__code",
                "owner__name",
                "district__code",
                "last_verification",
                "next_due",
            )
        ),
    )


def _clear(local_specs_before: set[str]) -> None:
    for model in (m.Instrument, m.MeasurementStandard, m.ReferenceMaterial, m.Person, m.Authorisation):
        model.objects.all().delete()
    m.Institution.objects.all().delete()
    m.TechnicalSpecification.objects.exclude(code__in=local_specs_before).delete()
    get_user_model().objects.all().delete()


def test_small_region_has_the_promised_shape():
    region = build_region(seed=7, scale=0.01, today=TODAY)
    assert not region.reused
    c = region.counts
    assert c["national_primary_standards"] == 2
    assert c["public_standards"] == 2 and c["other_standards"] == 16
    assert c["reference_materials"] == 9 and c["registered_metrologists"] == 10
    assert c["legal_metrology_institutions"] == 23 and c["professional_stations"] == 6
    assert c["calibration_laboratories"] == 2 and c["local_specifications"] == 19
    assert c["instruments_in_service"] == 1000
    assert m.Instrument.objects.count() == 1000 + 20
    # Every district has instruments and owners; due dates follow the category's form.
    assert m.Instrument.objects.values("district").distinct().count() == 16
    scrap = m.Instrument.objects.filter(category__verification_form="first_scrap")
    assert scrap.exists() and not scrap.filter(next_due__isnull=False).exists()
    assert m.Instrument.objects.filter(next_due__lt=TODAY).exists()
    # A verification dated after the build day broke the early-warning list (QA crawl, 2026-11-27).
    assert not m.Instrument.objects.filter(last_verification__gt=TODAY).exists()
    assert audit.verify().ok
    assert planned_rows(0.01) >= 1000


def test_same_seed_same_region_other_seed_other_region():
    specs = set(m.TechnicalSpecification.objects.values_list("code", flat=True))
    build_region(seed=3, scale=0.01, today=TODAY)
    first = _fingerprint()
    _clear(specs)
    build_region(seed=3, scale=0.01, today=TODAY)
    assert _fingerprint() == first
    _clear(specs)
    build_region(seed=4, scale=0.01, today=TODAY)
    assert _fingerprint() != first


def test_second_build_reuses_and_logins_carry_their_roles():
    first = build_region(seed=1, scale=0.01, today=TODAY)
    again = build_region(seed=99, scale=0.01, today=TODAY)
    assert again.reused and again.counts == first.counts
    users = get_user_model().objects
    for role, username in DEMO_USERS:
        user = users.get(username=username)
        assert user.check_password(first.logins[0].password)
        assert actor_for(user).role == role
