"""Authenticated API: export by an approver of the issuer, fetch by readers, import for a standard."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jiliang import dcc
from jiliang.certificates.models import IssuedCertificate
from jiliang.platform.models import AuditEntry
from jiliang.registry.choices import Role
from tests import factories
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
SIGNED = Path(__file__).parent.parent / "dcc" / "data" / "gemimeg_v3.2.0_signed.xml"


def _client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_approver_of_the_issuer_exports_and_readers_fetch_the_exact_bytes(issued):
    url = f"/api/certificates/records/{issued.pk}/dcc/"
    staff = _client(factories.user_with_role(Role.STAFF, issued.institution))
    assert staff.post(url).status_code == 403
    assert staff.get(url).status_code == 404  # readable record, nothing exported yet
    approver = _client(factories.user_with_role(Role.APPROVER, issued.institution))
    response = approver.post(url)
    assert response.status_code == 201, response.content
    stored = IssuedCertificate.objects.get(record=issued)
    assert response.json()["sha256"] == stored.sha256
    fetched = staff.get(url)
    assert fetched.status_code == 200 and fetched.content == bytes(stored.signed_xml)
    assert dcc.validate(fetched.content).valid
    stranger = _client(factories.user_with_role(Role.APPROVER))
    assert stranger.post(url).status_code == 404
    assert APIClient().post(url).status_code in {401, 403}


def test_a_reader_fetching_an_unsigned_dcc_gets_a_problem_naming_who_signs_and_nothing_is_signed(issued):
    url = f"/api/certificates/records/{issued.pk}/dcc/"
    reader = _client(factories.user_with_role(Role.STAFF, issued.institution))
    response = reader.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "has not been signed yet" in detail and f"an approver of {issued.institution}" in detail
    detail = reader.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"]
    assert "尚未签署" in detail and f"可由{issued.institution}的批准人" in detail
    assert (
        not IssuedCertificate.objects.exists() and not AuditEntry.objects.filter(action="sign_dcc").exists()
    )


def test_the_approver_signs_through_the_api_once_audited_and_the_bytes_never_change(issued):
    url = f"/api/certificates/records/{issued.pk}/dcc/"
    user = factories.user_with_role(Role.APPROVER, issued.institution)
    approver = _client(user)
    first = approver.post(url)
    assert first.status_code == 201
    entry = AuditEntry.objects.get(action="sign_dcc")
    assert entry.actor_id == user.pk and entry.after["sha256"] == first.json()["sha256"]
    stored = bytes(IssuedCertificate.objects.get(record=issued).signed_xml)
    again = approver.post(url)
    assert again.json()["sha256"] == first.json()["sha256"]
    reader = _client(factories.user_with_role(Role.STAFF, issued.institution))
    assert reader.get(url).content == stored
    assert AuditEntry.objects.filter(action="sign_dcc").count() == 1


def test_import_for_a_standard_by_its_owner():
    standard = b.examined_standard()
    url = f"/api/certificates/standards/{standard.pk}/imports/"
    upload = SimpleUploadedFile(SIGNED.name, SIGNED.read_bytes(), content_type="application/xml")
    outsider = _client(factories.user_with_role(Role.STAFF))
    assert outsider.post(url, {"file": upload}, format="multipart").status_code == 403
    owner = _client(factories.user_with_role(Role.STAFF, standard.owner))
    upload.seek(0)
    response = owner.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["valid"] and body["signature"] == "intact" and body["report"]["schema_version"] == "3.2.0"
    assert [i["id"] for i in owner.get(url).json()] == [body["id"]]
    assert owner.post(url, {}, format="multipart").status_code == 400
