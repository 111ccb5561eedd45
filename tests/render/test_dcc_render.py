"""Human-readable copy of a DCC (issue 6 item 3): zh and en, results, uncertainty statement,
decision rule, traceability and the verification QR code, as HTML and PDF."""

from __future__ import annotations

import base64
import re
import zlib

import pytest
import qrcode
from lxml import etree

from jiliang.dcc import parse
from jiliang.errors import InvalidInput
from jiliang.render.content import qr_matrix, uncertainty_statement, unit_symbol
from jiliang.render.dcc_html import render_html
from jiliang.render.dcc_pdf import render_pdf
from tests.dcc.builders import data, sample_certificate

URL = "https://verify.example.org/c/JL-2026-000123"


def _pdf_strings(pdf: bytes) -> str:
    """Text shown on the pages: reportlab writes CID-font strings as UCS-2 in
    ASCII85+Flate content streams."""
    out = []
    for raw in re.findall(
        rb"/ASCII85Decode /FlateDecode \] /Length \d+\n>>\nstream\n(.*?)endstream", pdf, re.S
    ):
        content = zlib.decompress(base64.a85decode(raw.strip().removesuffix(b"~>"), adobe=False))
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m[1], 8)]) if m[1].isdigit() else m[1], literal
            )
            out.append(
                unescaped.decode("utf-16-be", errors="replace")
                if b"\x00" in unescaped
                else unescaped.decode("latin-1")
            )
    return "".join(out)


def test_html_has_both_languages_results_statements_and_qr():
    page = render_html(sample_certificate(), verification_url=URL)
    root = etree.fromstring(page.encode(), etree.HTMLParser())
    text = "".join(root.itertext())
    for needle in (
        "校准证书 / Calibration Certificate",
        "JL-2026-000123",
        "量块 / Gauge block",
        "µm",
        "50.00012",
    ):
        assert needle in text
    assert "包含因子 k = 2" in text and "coverage factor k = 2" in text
    assert "Simple acceptance (ILAC-G8:09/2019 4.2.1)." in text and "符合 / pass" in text
    assert "结果可溯源至国家长度基准。" in text
    rows = root.findall(".//table")[1].findall(".//tbody/tr")
    assert [[td.text for td in tr.findall("td")] for tr in rows][3] == [
        None,
        "50.00013",
        "mm",
        "0.000060",
        "2",
    ]
    assert root.find(".//svg") is not None and URL in page


def test_pdf_is_cjk_and_carries_the_same_content():
    pdf = render_pdf(sample_certificate(), verification_url=URL)
    assert pdf.startswith(b"%PDF") and b"/STSong-Light" in pdf
    text = _pdf_strings(pdf)
    for needle in (
        "校准证书",
        "Calibration Certificate",
        "JL-2026-000123",
        "扩展不确定度",
        "ILAC-G8",
        "计量溯源性",
        "50.00012",
    ):
        assert needle in text, needle


def test_qr_code_encodes_the_verification_url():
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    reference.add_data(URL)
    reference.make(fit=True)
    assert qr_matrix(URL) == [list(map(bool, r)) for r in reference.get_matrix()]
    with pytest.raises(InvalidInput):
        qr_matrix("javascript:alert(1)")


def test_without_url_or_uncertainty_the_sections_are_left_out():
    cert = parse(data("minimal-valid.xml"))
    page = render_html(cert)
    assert "<svg" not in page
    assert "0.005" in page and "Temperature deviation at 0 °C" in page
    assert "Decision rule" not in page and "traceability" not in page.lower()
    assert uncertainty_statement(cert) is not None


def test_units_are_shown_as_symbols():
    assert unit_symbol(r"\micro\metre") == "µm"
    assert unit_symbol(r"\metre\second\tothe{-1}") == "m/s"
    assert unit_symbol("%") == "%"  # outside D-SI: shown as written


def test_renders_third_party_dccs():
    for name in ("skeleton-full.xml", "ptb_example_v2.4.0.xml", "dcclib_valid_signature.xml"):
        cert = parse(data(name))
        assert cert.core.unique_identifier in render_html(cert)
        assert render_pdf(cert).startswith(b"%PDF")


def test_the_digits_written_in_the_dcc_are_the_digits_shown():
    page = render_html(parse(data("skeleton-full.xml")))
    assert ">100.0120<" in page and ">0.0020<" in page  # trailing zeros are significant


def test_every_item_is_named():
    import dataclasses

    from jiliang.dcc import Identification, Item, Text

    cert = sample_certificate()
    second = Item(
        Text.of(zh="量块二", en="Gauge block 2"), (Identification("customer", "INV-7"),), model="GB-10"
    )
    page = render_html(dataclasses.replace(cert, items=(*cert.items, second)))
    assert "量块 / Gauge block (GB-50); 量块二 / Gauge block 2 (GB-10)" in page
    assert "GB-50-0042; INV-7" in page
