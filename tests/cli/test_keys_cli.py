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


def _key_file(tmp_path):
    return tmp_path / "keys" / "lab-seal" / "1.key.pem"


def test_without_a_passphrase_keys_are_plain_and_list_warns(tmp_path, capsys):
    main(["keys", "create", "lab-seal"])
    capsys.readouterr()
    assert _key_file(tmp_path).read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert main(["keys", "list", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)[0]["encrypted"] is False
    assert "unencrypted" in out.err and "lab-seal v1" in out.err and "JILIANG_KEY_PASSPHRASE" in out.err


def test_a_passphrase_encrypts_keys_at_rest_and_signing_still_works(tmp_path, capsys, monkeypatch):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from jiliang.cli import keystore
    from jiliang.dcc import build, load_certificates, sign, verify
    from tests.dcc.builders import sample_certificate

    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "correct horse")
    main(["keys", "create", "lab-seal"])
    data = _key_file(tmp_path).read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # cryptography: a password is needed
        load_pem_private_key(data, password=None)
    assert stat.S_IMODE(_key_file(tmp_path).stat().st_mode) == 0o600
    capsys.readouterr()
    assert main(["keys", "list", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)[0]["encrypted"] is True and "unencrypted" not in out.err
    key = keystore.current("lab-seal")
    cert = key.cert_path.read_bytes()
    signed = sign(build(sample_certificate()), key.private_key_pem(), [cert])
    assert verify(signed, load_certificates(cert)).status == "valid"


def test_an_encrypted_key_needs_the_right_passphrase(tmp_path, monkeypatch):
    from jiliang.cli import keystore
    from jiliang.errors import InvalidInput

    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "correct horse")
    main(["keys", "create", "lab-seal"])
    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE", "wrong")
    with pytest.raises(InvalidInput, match="wrong passphrase"):
        keystore.current("lab-seal").private_key_pem()
    monkeypatch.delenv("JILIANG_KEY_PASSPHRASE")
    with pytest.raises(InvalidInput, match="is encrypted") as caught:
        keystore.current("lab-seal").private_key_pem()
    assert caught.value.field == "JILIANG_KEY_PASSPHRASE"


def test_passphrase_file_and_encrypting_existing_keys(tmp_path, capsys, monkeypatch):
    main(["keys", "create", "lab-seal"])
    main(["keys", "rotate", "lab-seal"])
    assert main(["keys", "encrypt", "lab-seal"]) == 2  # no passphrase configured: usage error
    secret = tmp_path / "passphrase"
    secret.write_text("from a file\n")
    monkeypatch.setenv("JILIANG_KEY_PASSPHRASE_FILE", str(secret))
    capsys.readouterr()
    assert main(["keys", "encrypt", "lab-seal", "--format", "json"]) == 0
    assert [r["encrypted"] for r in _json(capsys)] == [True, True]
    from jiliang.cli import keystore

    for key in keystore.versions("lab-seal"):
        assert key.private_key_pem().startswith(b"-----BEGIN PRIVATE KEY-----")
    secret.write_text("another\n")
    from jiliang.errors import InvalidInput

    with pytest.raises(InvalidInput, match="wrong passphrase"):
        keystore.current("lab-seal").private_key_pem()
