"""Authenticated API: export by an approver of the issuer, fetch by readers, import for a standard."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jiliang import dcc
from jiliang.certificates.models import IssuedCertificate
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
