"""Every registry model has a working admin (list, search, add form, change form)."""

import pytest
from django.core.management import call_command

from jiliang.registry import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db
MODELS = [
    m.MeasurementArea,
    m.District,
    m.TechnicalSpecification,
    m.InstrumentCategory,
    m.Institution,
    m.Person,
    m.MeasurementStandard,
    m.ReferenceMaterial,
    m.Instrument,
]


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_admin_pages(admin_client, model):
    f.instrument()
    f.standard()
    f.reference_material()
    f.person()
    base = f"/admin/registry/{model._meta.model_name}/"
    assert admin_client.get(base + "?q=a").status_code == 200
    assert admin_client.get(base + "add/").status_code == 200
    obj = model.objects.first()
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200
