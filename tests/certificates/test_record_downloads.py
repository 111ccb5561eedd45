"""Issuing a record makes its DCC available (issue 6 items 2 and 4): signed and stored at issue
when the institution has a key, else on the first download; the record page links the DCC (XML)
and the human-readable PDF, which serve the exact stored bytes, never re-signed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from jiliang import dcc
from jiliang.calibration import certificates, services
from jiliang.certificates.models import IssuedCertificate
from jiliang.cli import keystore
from jiliang.platform.models import AuditEntry
from jiliang.registry.policy import SYSTEM
from tests import factories
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def checked(keys_dir):
    """A checked record of an instrument, traced to an examined standard, ready to issue."""
    nmi = b.lab(kind="nmi")
    std = b.examined_standard()
    std_cert = b.issued(nmi, std, [{"standard": b.primary()}], [b.point(expanded_uncertainty=D("0.02"))])
    record = b.draft(b.lab(), factories.instrument())
    services.add_result(SYSTEM, record, b.point(), [{"standard": std, "certificate": std_cert}])
    return services.check_record(SYSTEM, record)


def _issue(record):
    return services.issue_record(SYSTEM, record, min_uncertainty_ratio=b.RATIO, on=record.calibration_date)


@pytest.fixture
def admin(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    return client


def test_issuing_signs_and_stores_the_dcc_when_the_institution_has_a_key(checked, key_material):
    keystore.add(certificates.key_name(checked), key_material, new=True)
    record = _issue(checked)
    stored = IssuedCertificate.objects.get(record=record)
    data = bytes(stored.signed_xml)
    assert dcc.validate(data).valid
    assert dcc.verify(data, dcc.load_certificates(key_material.certificate_pem)).status == "valid"
    entry = AuditEntry.objects.filter(action="sign_dcc").get()
    assert entry.after["sha256"] == stored.sha256 and entry.after["record"] == record.pk


def test_without_a_key_the_first_download_signs_and_later_ones_serve_the_same_bytes(
    checked, key_material, admin
):
    record = _issue(checked)
    assert not IssuedCertificate.objects.filter(record=record).exists()
    url = f"/certificates/records/{record.pk}/dcc.xml"
    refused = admin.get(url)
    assert refused.status_code == 409
    assert f"jiliang keys create {certificates.key_name(record)}" in refused.content.decode()
    keystore.add(certificates.key_name(record), key_material, new=True)
    first = admin.get(url)
    stored = IssuedCertificate.objects.get(record=record)
    assert first.status_code == 302
    assert first["Location"] == f"/certificates/{stored.number}/{stored.sha256[:16]}/dcc.xml"
    assert admin.get(first["Location"]).content == bytes(stored.signed_xml)
    again = admin.get(url)
    assert again["Location"] == first["Location"]  # never re-signed
    assert (
        IssuedCertificate.objects.count() == 1 and AuditEntry.objects.filter(action="sign_dcc").count() == 1
    )


def test_the_pdf_link_serves_the_copy_of_the_stored_dcc(checked, key_material, admin):
    keystore.add(certificates.key_name(checked), key_material, new=True)
    record = _issue(checked)
    response = admin.get(f"/certificates/records/{record.pk}/copy.pdf")
    stored = IssuedCertificate.objects.get(record=record)
    assert response["Location"] == f"/certificates/{stored.number}/{stored.sha256[:16]}/copy.pdf"
    pdf = admin.get(response["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_record_page_links_the_dcc_once_issued(checked, key_material, admin):
    page = admin.get(f"/calibration/records/{checked.pk}/").content.decode()
    assert 'id="download-dcc"' not in page  # a checked record has no certificate yet
    record = _issue(checked)
    page = admin.get(f"/calibration/records/{record.pk}/").content.decode()
    assert f'href="/certificates/records/{record.pk}/dcc.xml"' in page
    assert f'href="/certificates/records/{record.pk}/copy.pdf"' in page


def test_downloads_need_a_login_and_read_permission(checked, key_material, client):
    keystore.add(certificates.key_name(checked), key_material, new=True)
    record = _issue(checked)
    anonymous = client.get(f"/certificates/records/{record.pk}/dcc.xml")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    outsider = get_user_model().objects.create_user("outsider", password="pw-for-tests")
    client.force_login(outsider)
    assert client.get(f"/certificates/records/{record.pk}/dcc.xml").status_code == 404


def test_a_key_that_cannot_sign_at_issue_does_not_undo_the_issue(checked, key_material, monkeypatch, admin):
    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "correct horse")
    keystore.add(certificates.key_name(checked), key_material, new=True)
    monkeypatch.delenv("JILIANG_KEY_PASSPHRASE")
    record = _issue(checked)
    record.refresh_from_db()
    assert record.status == "issued"
    assert not IssuedCertificate.objects.filter(record=record).exists()
    refused = admin.get(f"/certificates/records/{record.pk}/dcc.xml")
    assert refused.status_code == 409 and "JILIANG_KEY_PASSPHRASE" in refused.content.decode()
    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "correct horse")
    assert admin.get(f"/certificates/records/{record.pk}/dcc.xml").status_code == 302
