"""The human-readable copy embedded as ``dcc:document`` (issue 6 item 3, "optionally embedded")."""

from __future__ import annotations

import pytest

from jiliang.dcc import (
    EmbeddedDocument,
    Text,
    build,
    embed_document,
    extract_document,
    load_certificates,
    sign,
    validate,
    verify,
)
from jiliang.errors import Conflict, InvalidInput
from jiliang.render.dcc_pdf import render_pdf

from .builders import data, sample_certificate


def test_embed_then_sign_keeps_the_dcc_valid_and_the_pdf_intact(ec_key):
    cert = sample_certificate()
    pdf = render_pdf(cert, verification_url="https://verify.example.org/c/JL-2026-000123")
    copy = EmbeddedDocument(
        "JL-2026-000123.pdf", "application/pdf", pdf, Text.of(zh="校准证书", en="Certificate")
    )
    xml = embed_document(build(cert), copy)
    assert validate(xml).valid
    signed = sign(xml, ec_key.private_key_pem, [ec_key.certificate_pem])
    assert verify(signed, load_certificates(ec_key.certificate_pem)).ok
    assert extract_document(signed) == copy


def test_embedding_replaces_an_earlier_copy_and_sits_after_the_comment():
    doc = data("skeleton-full.xml")  # has a comment and a 608-byte PDF already
    before = extract_document(doc)
    assert before is not None and before.content.startswith(b"%PDF")
    out = embed_document(doc, EmbeddedDocument("new.pdf", "application/pdf", b"%PDF-1.4 new"))
    assert validate(out).valid
    assert out.count(b"<dcc:document") == 1
    assert extract_document(out).file_name == "new.pdf"


def test_refusals(ec_key):
    signed = sign(data("minimal-valid.xml"), ec_key.private_key_pem, [ec_key.certificate_pem])
    with pytest.raises(Conflict):
        embed_document(signed, EmbeddedDocument("a.pdf", "application/pdf", b"%PDF"))
    with pytest.raises(InvalidInput):
        embed_document(data("minimal-valid.xml"), EmbeddedDocument(" ", "application/pdf", b"%PDF"))
    assert extract_document(data("minimal-valid.xml")) is None
