"""Issuing a record makes its DCC available (issue 6 items 2 and 4): signed and stored at issue
when the institution has a key, else later by someone who may issue the record ("Sign DCC" on the
record page, or the API); a reader's download never signs. The record page links the DCC (XML)
and the human-readable PDF, which serve the exact stored bytes, never re-signed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jiliang import dcc
from jiliang.calibration import certificates, services
from jiliang.certificates.models import IssuedCertificate
from jiliang.cli import keystore
from jiliang.platform.models import AuditEntry
from jiliang.registry.choices import Role
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


def _login(client, role, institution):
    client.force_login(factories.user_with_role(role, institution))
    return client


def _signed_nothing(record) -> bool:
    return (
        not IssuedCertificate.objects.filter(record=record).exists()
        and not AuditEntry.objects.filter(action="sign_dcc").exists()
    )


def test_a_reader_downloading_an_unsigned_dcc_is_told_who_can_sign_it_and_nothing_is_signed(
    checked, key_material, client
):
    record = _issue(checked)  # no key at issue: no DCC
    keystore.add(certificates.key_name(record), key_material, new=True)  # signing is possible now
    reader = _login(client, Role.STAFF, record.institution)
    for fmt in ("dcc.xml", "copy.pdf"):
        refused = reader.get(f"/certificates/records/{record.pk}/{fmt}")
        assert refused.status_code == 404
        page = refused.content.decode()
        assert 'id="dcc-not-signed"' in page and "has not been signed yet" in page
        assert f"An approver of {record.institution}" in page and 'id="sign-dcc"' not in page
    detail = reader.get(f"/calibration/records/{record.pk}/").content.decode()
    assert (
        'id="dcc-not-signed"' in detail
        and 'id="download-dcc"' not in detail
        and 'id="sign-dcc"' not in detail
    )
    assert reader.post(f"/certificates/records/{record.pk}/sign/").status_code == 403
    assert _signed_nothing(record)


def test_an_approver_signs_on_the_record_page_with_a_csrf_token_and_downloads_serve_those_bytes(
    checked, key_material
):
    record = _issue(checked)
    keystore.add(certificates.key_name(record), key_material, new=True)
    approver = _login(
        Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True), Role.APPROVER, record.institution
    )
    page = approver.get(f"/calibration/records/{record.pk}/").content.decode()
    assert 'id="sign-dcc"' in page and f'action="/certificates/records/{record.pk}/sign/"' in page
    sign_url = f"/certificates/records/{record.pk}/sign/"
    assert approver.get(sign_url).status_code == 405  # POST only
    assert approver.post(sign_url).status_code == 403  # no CSRF token
    assert _signed_nothing(record)
    signed = approver.post(sign_url, {"csrfmiddlewaretoken": approver.cookies["csrftoken"].value})
    assert signed.status_code == 302 and signed["Location"] == f"/calibration/records/{record.pk}/"
    stored = IssuedCertificate.objects.get(record=record)
    data = bytes(stored.signed_xml)
    assert dcc.verify(data, dcc.load_certificates(key_material.certificate_pem)).status == "valid"
    entry = AuditEntry.objects.get(action="sign_dcc")
    assert entry.actor_id == int(approver.session["_auth_user_id"])
    assert entry.after["sha256"] == stored.sha256
    reader = _login(Client(HTTP_ACCEPT_LANGUAGE="en"), Role.STAFF, record.institution)
    first = reader.get(f"/certificates/records/{record.pk}/dcc.xml")
    assert first["Location"] == f"/certificates/{stored.number}/{stored.sha256[:16]}/dcc.xml"
    assert reader.get(first["Location"]).content == data
    again = approver.post(sign_url, {"csrfmiddlewaretoken": approver.cookies["csrftoken"].value})
    assert again.status_code == 302  # already signed: the stored DCC, never re-signed
    assert reader.get(first["Location"]).content == data
    assert (
        IssuedCertificate.objects.count() == 1 and AuditEntry.objects.filter(action="sign_dcc").count() == 1
    )


def test_signing_without_a_key_says_which_key_to_create(checked, key_material, admin):
    record = _issue(checked)
    refused = admin.post(f"/certificates/records/{record.pk}/sign/")
    assert refused.status_code == 404  # the signing key is missing
    assert f"jiliang keys create {certificates.key_name(record)}" in refused.content.decode()
    assert _signed_nothing(record)
    keystore.add(certificates.key_name(record), key_material, new=True)
    assert admin.post(f"/certificates/records/{record.pk}/sign/").status_code == 302
    assert IssuedCertificate.objects.filter(record=record).count() == 1


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
    assert 'id="sign-dcc"' not in page and 'id="dcc-not-signed"' not in page
    keystore.add(certificates.key_name(checked), key_material, new=True)
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
    refused = admin.post(f"/certificates/records/{record.pk}/sign/")
    assert refused.status_code == 400 and "JILIANG_KEY_PASSPHRASE" in refused.content.decode()
    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "correct horse")
    assert admin.post(f"/certificates/records/{record.pk}/sign/").status_code == 302
    assert admin.get(f"/certificates/records/{record.pk}/dcc.xml").status_code == 302
