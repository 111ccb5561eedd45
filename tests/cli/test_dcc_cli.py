"""CLI contracts of ``jiliang dcc`` (issue 6 item 6)."""

from __future__ import annotations

import json

import pytest

from jiliang.cli.main import main
from jiliang.dcc import build
from tests.dcc.builders import DATA, sample_certificate


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JILIANG_DATA_DIR", str(tmp_path))


def _validate_json(capsys, path) -> tuple[int, dict]:
    code = main(["dcc", "validate", str(path), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_valid_document_exits_0_with_the_json_shape(capsys):
    code, out = _validate_json(capsys, DATA / "skeleton-full.xml")
    assert code == 0
    assert out == {"valid": True, "schema_version": "3.3.0", "findings": []}


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("dcclib_invalid_syntax.xml", "xml"),
        ("dcclib_invalid_schema.xml", "xsd"),
        ("dcclib_invalid_schematron.xml", "rules"),
        ("dcclib_invalid_signature.xml", "signature"),
    ],
)
def test_each_failing_layer_exits_1(capsys, name, layer):
    code, out = _validate_json(capsys, DATA / name)
    assert code == 1 and out["valid"] is False
    assert layer in {f["layer"] for f in out["findings"] if f["severity"] == "error"}
    assert all(set(f) == {"layer", "severity", "path", "rule", "message"} for f in out["findings"])


def test_non_dsi_units_are_warnings_and_exit_0(tmp_path, capsys):
    doc = (DATA / "minimal-valid.xml").read_bytes().replace(rb"<si:unit>\kelvin", rb"<si:unit>\degreeCelsius")
    (tmp_path / "c.xml").write_bytes(doc)
    code, out = _validate_json(capsys, tmp_path / "c.xml")
    assert code == 0
    assert [(f["layer"], f["severity"]) for f in out["findings"]] == [("units", "warning")]


def test_missing_file_and_oversized_file_are_usage_errors(tmp_path, capsys):
    assert main(["dcc", "validate", str(tmp_path / "nope.xml")]) == 2
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024 + 1)
    assert main(["dcc", "validate", str(big)]) == 2
    assert "20 MB" in capsys.readouterr().err


def test_text_output(capsys):
    assert main(["dcc", "validate", str(DATA / "dcclib_invalid_schematron.xml")]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "languages.mandatoryUsed" in out


def test_keys_sign_verify_revoke_round_trip(tmp_path, capsys):
    (tmp_path / "c.xml").write_bytes(build(sample_certificate()))
    assert main(["keys", "create", "seal"]) == 0
    assert main(["keys", "export-public", "seal", "-o", str(tmp_path / "seal.pem")]) == 0
    assert main(["dcc", "sign", str(tmp_path / "c.xml"), "--key", "seal", "-o", str(tmp_path / "s.xml")]) == 0
    capsys.readouterr()
    assert main(["dcc", "validate", str(tmp_path / "s.xml")]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "dcc",
                "verify",
                str(tmp_path / "s.xml"),
                "--trust",
                str(tmp_path / "seal.pem"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "valid" and result["profile"] == "xades"
    serial = result["signer_serial"]
    args = [
        "dcc",
        "verify",
        str(tmp_path / "s.xml"),
        "--trust",
        str(tmp_path / "seal.pem"),
        "--revoked",
        serial,
    ]
    assert main(args) == 1
    assert "revoked" in capsys.readouterr().out
    tampered = (tmp_path / "s.xml").read_bytes().replace(b"0.12<", b"0.13<")
    (tmp_path / "t.xml").write_bytes(tampered)
    assert main(["dcc", "verify", str(tmp_path / "t.xml"), "--trust", str(tmp_path / "seal.pem")]) == 1
    assert main(["dcc", "validate", str(tmp_path / "t.xml")]) == 1


def test_sign_refuses_an_invalid_document(tmp_path, capsys):
    main(["keys", "create", "seal"])
    code = main(
        [
            "dcc",
            "sign",
            str(DATA / "dcclib_invalid_schema.xml"),
            "--key",
            "seal",
            "-o",
            str(tmp_path / "o.xml"),
        ]
    )
    assert code == 1 and not (tmp_path / "o.xml").exists()
    assert (
        main(
            ["dcc", "sign", str(DATA / "minimal-valid.xml"), "--key", "nobody", "-o", str(tmp_path / "o.xml")]
        )
        == 1
    )


def test_render_pdf_and_html(tmp_path):
    for suffix in (".pdf", ".html"):
        out = tmp_path / f"c{suffix}"
        assert (
            main(
                [
                    "dcc",
                    "render",
                    str(DATA / "skeleton-full.xml"),
                    "-o",
                    str(out),
                    "--url",
                    "https://v.example/x",
                ]
            )
            == 0
        )
        assert out.stat().st_size > 1000
    assert main(["dcc", "render", str(DATA / "skeleton-full.xml"), "-o", str(tmp_path / "c.txt")]) == 2


def test_render_can_embed_the_pdf_before_signing(tmp_path):
    out_xml = tmp_path / "with-copy.xml"
    args = [
        "dcc",
        "render",
        str(DATA / "minimal-valid.xml"),
        "-o",
        str(tmp_path / "c.pdf"),
        "--embed-into",
        str(out_xml),
    ]
    assert main(args) == 0
    assert main(["dcc", "validate", str(out_xml)]) == 0
    assert b"<dcc:dataBase64>" in out_xml.read_bytes()
    signed = DATA / "minimal-valid.signed-xades-ec.xml"
    refused = [
        "dcc",
        "render",
        str(signed),
        "-o",
        str(tmp_path / "d.pdf"),
        "--embed-into",
        str(tmp_path / "x.xml"),
    ]
    assert main(refused) == 1  # would break the signature
    assert not (tmp_path / "x.xml").exists() and not (tmp_path / "d.pdf").exists()


def test_unwritable_output_and_unreadable_input_are_usage_errors(tmp_path, capsys):
    missing_dir = tmp_path / "no" / "such" / "dir" / "c.pdf"
    assert main(["dcc", "render", str(DATA / "minimal-valid.xml"), "-o", str(missing_dir)]) == 2
    assert main(["dcc", "validate", str(tmp_path)]) == 2  # a directory is not a file
    assert "cannot write" in capsys.readouterr().err
