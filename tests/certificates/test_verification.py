"""Public verification (issue 6 items 4 and 7): by number, QR URL and upload; tampering,
re-signing, revocation and supersession detected; hostile and oversized uploads refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiliang import dcc
from jiliang.calibration import certificates, services
from jiliang.registry.policy import SYSTEM
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
API = "/api/certificates/verify/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def stored(issued):
    return certificates.sign(SYSTEM, issued)


def _upload(client, data: bytes, url: str = API):
    return client.post(url, {"file": SimpleUploadedFile("c.xml", data, content_type="application/xml")})


def _one(response) -> dict:
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    return result


def test_number_of_an_issued_certificate_is_valid_with_issuer_item_and_dates(client, issued, stored):
    result = _one(client.get(API, {"number": stored.number}))
    assert result["status"] == "valid"
    assert result["issuer"] == issued.institution.name
    assert issued.instrument.serial_number in result["item"]
    assert result["calibration_date"] == issued.calibration_date.isoformat()
    assert result["valid_until"] == issued.valid_until.isoformat()


def test_unknown_number(client, db):
    assert _one(client.get(API + "NOPE-1/"))["status"] == "unknown"


def test_exact_upload_is_valid(client, stored):
    assert _one(_upload(client, bytes(stored.signed_xml)))["status"] == "valid"


def test_changing_one_digit_is_tampered_and_says_what_changed(client, stored):
    data = bytes(stored.signed_xml)
    changed = data.replace(b">20.35<", b">20.36<", 1)
    assert changed != data
    result = _one(_upload(client, changed))
    assert result["status"] == "tampered"
    assert "no longer verifies" in result["message"]
    assert any("'20.35' is now '20.36'" in d for d in result["differences"])


def test_removing_an_element_is_tampered(client, stored):
    data = bytes(stored.signed_xml)
    start = data.index(b"<dcc:respPerson>")
    end = data.index(b"</dcc:respPerson>") + len(b"</dcc:respPerson>")
    result = _one(_upload(client, data[:start] + data[end:]))
    assert result["status"] == "tampered"
    assert result["differences"]


def test_re_signing_with_another_key_is_tampered(client, stored):
    data = bytes(stored.signed_xml)
    unsigned = (
        data[: data.index(b"<ds:Signature")] + data[data.rindex(b"</dcc:digitalCalibrationCertificate>") :]
    )
    forged = unsigned.replace(b">20.35<", b">20.30<", 1)
    other = dcc.generate_key("Impostor Laboratory")
    resigned = dcc.sign(forged, other.private_key_pem, [other.certificate_pem])
    assert dcc.check_signature(resigned).intact
    result = _one(_upload(client, resigned))
    assert result["status"] == "tampered"
    assert "not the issuer's" in result["message"]
    assert any("'20.35' is now '20.30'" in d for d in result["differences"])


def test_revocation_and_supersession_come_from_the_record_lifecycle(client, issued, stored):
    services.revoke_record(SYSTEM, issued, "wrong standard used")
    result = _one(client.get(API, {"number": stored.number}))
    assert result["status"] == "revoked" and "wrong standard used" in result["message"]
    assert _one(_upload(client, bytes(stored.signed_xml)))["status"] == "revoked"


def test_superseded_names_its_successor(client, issued, stored):
    at = b.Lab(issued.institution, issued.performer, issued.checker)
    new = b.issued(at, issued.instrument, [{"standard": b.primary()}], supersedes=issued)
    result = _one(client.get(API, {"number": stored.number}))
    assert result["status"] == "superseded" and result["superseded_by"] == new.certificate_number


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc">&x;</dcc:digitalCalibrationCertificate>"""
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((c,) + (c - 1,) * 10)
        for c in range(98, 108)
    )
    + b"]><l>&k;</l>"
)


@pytest.mark.parametrize("data", [XXE, BOMB, b"<not-closed>"], ids=["xxe", "bomb", "malformed"])
def test_hostile_uploads_are_refused(client, db, data):
    result = _one(_upload(client, data))
    assert result["status"] == "invalid"
    assert b"root:" not in str(result).encode()


def test_oversized_upload_is_refused(client, db):
    big = b"<a>" + b" " * (dcc.MAX_DOCUMENT_BYTES + 1) + b"</a>"
    response = _upload(client, big)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_web_page_by_qr_url_and_upload_in_chinese(client, stored):
    page = client.get(
        reverse("certificates:verify-number", args=[stored.number]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    assert "有效" in page.content.decode()
    changed = bytes(stored.signed_xml).replace(b">20.35<", b">20.36<", 1)
    page = _upload(client, changed, reverse("certificates:verify"))
    assert page.status_code == 200 and b"verdict-tampered" in page.content


def test_rate_limit(client, db, settings):
    settings.JILIANG_VERIFY_RATE_LIMIT = 3
    codes = [client.get(API, {"number": "X"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(reverse("certificates:verify"), {"number": "X"}).status_code == 429


def test_copy_carries_the_qr_url_of_the_verification_page(client, stored):
    base = f"/certificates/{stored.number}/{stored.sha256[:16]}/"
    html = client.get(base + "copy.html")
    assert html.status_code == 200
    assert f"/certificates/verify/{stored.number}/".encode() in html.content
    pdf = client.get(base + "copy.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xml = client.get(base + "dcc.xml")
    assert xml.content == bytes(stored.signed_xml)
    assert client.get(f"/certificates/{stored.number}/{'0' * 16}/dcc.xml").status_code == 404


def test_signing_time_is_recorded(stored):
    assert stored.signed_at <= dt.datetime.now(dt.UTC)


def test_a_number_with_a_slash_reaches_the_verification(client, db):
    result = _one(client.get(API + "JL/2026/0001/"))
    assert result["status"] == "unknown" and result["number"] == "JL/2026/0001"


def test_verdict_messages_in_chinese(client, stored):
    data = bytes(stored.signed_xml).replace(b">20.35<", b">20.36<", 1)
    upload = SimpleUploadedFile("c.xml", data, content_type="application/xml")
    response = client.post(API, {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["results"][0]["message"].startswith("签名已无法验证")
    result = client.get(API, {"number": "NOPE"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert result["message"] == "本系统未发布该编号的证书"
