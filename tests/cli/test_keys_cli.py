"""``jiliang keys create|list|rotate|export-public`` (issue 6 item 2)."""

from __future__ import annotations

import json
import stat

import pytest

from jiliang.cli.main import main
from jiliang.dcc import describe_certificate


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JILIANG_DATA_DIR", str(tmp_path))


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_create_stores_a_private_key_0600_and_a_certificate(tmp_path, capsys):
    assert (
        main(
            [
                "keys",
                "create",
                "lab-seal",
                "--organization",
                "Example Lab",
                "--country",
                "CN",
                "--format",
                "json",
            ]
        )
        == 0
    )
    (row,) = _json(capsys)
    assert row["current"] and row["version"] == 1 and row["key_type"] == "ECDSA secp256r1"
    key = tmp_path / "keys" / "lab-seal" / "1.key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.read_bytes()
    assert "O=Example Lab" in row["subject"]


def test_rotate_keeps_old_versions_and_switches_current(capsys):
    main(["keys", "create", "lab-seal", "--common-name", "Lab, Seal", "--organization", "Example, Inc."])
    capsys.readouterr()
    assert main(["keys", "rotate", "lab-seal", "--algorithm", "rsa-3072", "--format", "json"]) == 0
    assert _json(capsys)[0]["version"] == 2
    assert main(["keys", "list", "--format", "json"]) == 0
    rows = _json(capsys)
    assert [(r["version"], r["current"], r["key_type"]) for r in rows] == [
        (1, False, "ECDSA secp256r1"),
        (2, True, "RSA 3072"),
    ]
    assert rows[0]["subject"] == rows[1]["subject"]


def test_export_public_prints_only_certificates(tmp_path, capsys):
    main(["keys", "create", "lab-seal"])
    main(["keys", "rotate", "lab-seal"])
    capsys.readouterr()
    assert main(["keys", "export-public", "lab-seal"]) == 0
    out = capsys.readouterr().out
    assert out.count("BEGIN CERTIFICATE") == 1 and "PRIVATE" not in out
    assert main(["keys", "export-public", "lab-seal", "--all", "-o", str(tmp_path / "trust.pem")]) == 0
    assert (tmp_path / "trust.pem").read_text().count("BEGIN CERTIFICATE") == 2
    assert describe_certificate(out.encode()).serial_number


def test_usage_errors(capsys):
    assert main(["keys", "create", "../escape"]) == 2
    main(["keys", "create", "lab"])
    assert main(["keys", "create", "lab"]) == 1  # exists: a conflict
    assert main(["keys", "rotate", "nobody"]) == 1  # not found
    assert main(["keys", "create", "x", "--country", "China"]) == 2
