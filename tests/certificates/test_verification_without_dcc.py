"""Public verification of a record issued without a signed DCC (QA crawl 2026-11-27: an issued
demo record, whose institution has no signing key, was reported "unknown"). The number reports
what the record says — issuer, item, dates, issued / superseded (by which number) / revoked — and
that no digital certificate is available; a stored DCC keeps its verdict (test_verification.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiliang import dcc
from jiliang.calibration import certificates, services
from jiliang.certificates.models import IssuedCertificate
from jiliang.registry.policy import SYSTEM
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
API = "/api/certificates/verify/"
LANGUAGES = ["en", "zh-hans"]
NO_DCC = {"en": "no digital calibration certificate (DCC) is available", "zh-hans": "无数字校准证书（DCC）"}
STATE = {
    "valid": {"en": "issued and in force", "zh-hans": "已发布，现行有效"},
    "superseded": {"en": "superseded", "zh-hans": "已被替代"},
    "revoked": {"en": "revoked: wrong standard used", "zh-hans": "已撤销：wrong standard used"},
}
BADGE = {"valid": {"en": "Valid", "zh-hans": "有效"}, "superseded": {"en": "Superseded", "zh-hans": "已被替代"},
         "revoked": {"en": "Revoked", "zh-hans": "已撤销"}}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _one(client, number: str, language: str) -> dict:
    response = client.get(API, {"number": number}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    return result


def _page(client, number: str, language: str) -> str:
    page = client.get(reverse("certificates:verify-number", args=[number]), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def unsigned(issued):
    """The issued record of the fixture has no DCC: its key was added after the issue."""
    assert not IssuedCertificate.objects.filter(record=issued).exists()
    return issued


def _successor(record):
    at = b.Lab(record.institution, record.performer, record.checker)
    return b.issued(at, record.instrument, [{"standard": b.primary()}], supersedes=record)


def _lifecycle(record, status: str):
    if status == "revoked":
        services.revoke_record(SYSTEM, record, "wrong standard used")
    if status == "superseded":
        return _successor(record).certificate_number
    return ""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ["valid", "superseded", "revoked"])
def test_issued_record_without_dcc_reports_its_lifecycle_and_no_dcc(client, unsigned, status, language):
    successor = _lifecycle(unsigned, status)
    result = _one(client, unsigned.certificate_number, language)
    assert result["status"] == status and result["dcc"] is False
    assert result["message"].startswith(STATE[status][language]) and NO_DCC[language] in result["message"]
    assert result["issuer"] == unsigned.institution.name
    assert unsigned.instrument.serial_number in result["item"]
    assert result["calibration_date"] == unsigned.calibration_date.isoformat()
    assert result["issue_date"] == unsigned.issue_date.isoformat()
    assert result["superseded_by"] == (successor or None)
    page = _page(client, unsigned.certificate_number, language)
    assert f"verdict-{status}" in page and BADGE[status][language] in page
    assert NO_DCC[language] in page and unsigned.institution.name in page
    assert (successor in page) if successor else True


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_page_shows_only_what_the_certificate_prints(client, unsigned, language):
    """No owner, no people, no results: the page of a guessed number shows number, issuer, item, dates."""
    page = _page(client, unsigned.certificate_number, language)
    owner = unsigned.instrument.owner.name
    assert owner not in page and unsigned.performer.name not in page and unsigned.checker.name not in page
    assert (
        "20.35" not in page and "/calibration/records/" not in page and "/certificates/records/" not in page
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_number_is_unknown(client, unsigned, language):
    at = b.Lab(unsigned.institution, unsigned.performer, unsigned.checker)
    draft = b.draft(at, unsigned.instrument)
    result = _one(client, draft.certificate_number, language)
    assert result["status"] == "unknown" and result["dcc"] is None and result["issuer"] == ""
    assert result["message"] == {"en": "no certificate with this number was issued here",
                                 "zh-hans": "本系统未发布该编号的证书"}[language]  # fmt: skip
    assert "verdict-unknown" in _page(client, draft.certificate_number, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_a_stored_dcc_the_verdict_is_unchanged_and_says_so(client, unsigned, language):
    certificates.sign(SYSTEM, unsigned)
    result = _one(client, unsigned.certificate_number, language)
    assert result["status"] == "valid" and result["dcc"] is True
    assert result["message"] == STATE["valid"][language]
    page = _page(client, unsigned.certificate_number, language)
    assert NO_DCC[language] not in page
    assert {"en": "signed and kept here", "zh-hans": "已签名并存档"}[language] in page


def test_an_upload_for_a_number_issued_without_dcc_is_not_ours(client, unsigned, key_material):
    """Someone made a DCC for a real number: no DCC of that number was signed, so it is a forgery."""
    xml = dcc.build(certificates.certificate_data(unsigned))
    forged = dcc.sign(xml, key_material.private_key_pem, [key_material.certificate_pem])
    upload = SimpleUploadedFile("c.xml", forged, content_type="application/xml")
    result = client.post(API, {"file": upload}).json()["results"][0]
    assert result["status"] == "tampered" and result["dcc"] is False
    assert result["message"] == "no DCC with this number was signed here"
    assert result["issuer"] == unsigned.institution.name


def test_two_issuers_of_one_number_give_two_verdicts(client, unsigned, django_assert_num_queries):
    other = b.lab()
    twin = b.issued(other, unsigned.instrument, [{"standard": b.primary()}],
                    certificate_number=unsigned.certificate_number)  # fmt: skip
    with django_assert_num_queries(1):  # records, issuers, items, successors and DCCs in one query
        response = client.get(API, {"number": unsigned.certificate_number})
    issuers = sorted(r["issuer"] for r in response.json()["results"])
    assert issuers == sorted([unsigned.institution.name, twin.institution.name])
