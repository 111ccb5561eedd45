"""The file store of signing keys behind ``jiliang keys`` and ``jiliang dcc sign``.

Layout under ``$JILIANG_DATA_DIR/keys/`` (default ``~/.local/share/jiliang/keys``)::

    NAME/1.key.pem    private key, PKCS#8 PEM, mode 0600; encrypted (BestAvailableEncryption)
                      when JILIANG_KEY_PASSPHRASE or JILIANG_KEY_PASSPHRASE_FILE is set
    NAME/1.cert.pem   its self-signed X.509 certificate
    NAME/2.key.pem    ... after ``jiliang keys rotate NAME``
    NAME/current      the version used for signing ("2")

Rotation never deletes: retired certificates stay to verify what they signed.

The passphrase is read from the environment when a key is written or used; it never lands in a
file of the store. Without one, keys stay unencrypted (protected by the file mode only) and
``jiliang keys list`` warns.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from jiliang.dcc import KeyMaterial
from jiliang.errors import Conflict, InvalidInput, NotFound

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def keys_dir() -> Path:
    base = os.environ.get("JILIANG_DATA_DIR") or str(Path.home() / ".local" / "share" / "jiliang")
    return Path(base).expanduser() / "keys"


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InvalidInput("name", "a key name is 1-64 letters, digits, '.', '_' or '-' (no path)")
    return name


_ENCRYPTED = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def passphrase() -> bytes | None:
    """``JILIANG_KEY_PASSPHRASE``, else the first line of ``JILIANG_KEY_PASSPHRASE_FILE``."""
    value = os.environ.get("JILIANG_KEY_PASSPHRASE")
    if not value and os.environ.get("JILIANG_KEY_PASSPHRASE_FILE"):
        path = Path(os.environ["JILIANG_KEY_PASSPHRASE_FILE"]).expanduser()
        try:
            value = path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
        except OSError as exc:
            raise InvalidInput("JILIANG_KEY_PASSPHRASE_FILE", f"cannot read {path}: {exc.strerror}") from None
        if not value:
            raise InvalidInput("JILIANG_KEY_PASSPHRASE_FILE", f"{path} is empty")
    return value.encode("utf-8") if value else None


@dataclass(frozen=True)
class StoredKey:
    name: str
    version: int
    current: bool
    key_path: Path
    cert_path: Path

    @property
    def encrypted(self) -> bool:
        return self.key_path.read_bytes().lstrip().startswith(_ENCRYPTED)

    def private_key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM, in memory only (decrypted with the passphrase)."""
        data = self.key_path.read_bytes()
        if not data.lstrip().startswith(_ENCRYPTED):
            return data
        secret = passphrase()
        if secret is None:
            raise InvalidInput(
                "JILIANG_KEY_PASSPHRASE",
                f"key {self.name} v{self.version} is encrypted; set JILIANG_KEY_PASSPHRASE "
                "or JILIANG_KEY_PASSPHRASE_FILE",
            )
        try:
            key = load_pem_private_key(data, password=secret)
        except ValueError:
            raise InvalidInput(
                "JILIANG_KEY_PASSPHRASE", f"wrong passphrase for key {self.name} v{self.version}"
            ) from None
        return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def _at_rest(private_key_pem: bytes) -> bytes:
    """What is written to disk: encrypted under the passphrase when one is configured."""
    secret = passphrase()
    if secret is None:
        return private_key_pem
    key = load_pem_private_key(private_key_pem, password=None)
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(secret))


def _write_private(path: Path, data: bytes) -> None:
    # Create with 0600 from the start: never a moment where the key is world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def versions(name: str) -> list[StoredKey]:
    folder = keys_dir() / check_name(name)
    if not folder.is_dir():
        raise NotFound("signing key", name)
    current = int((folder / "current").read_text().strip())
    found = sorted(int(p.name.split(".")[0]) for p in folder.glob("*.cert.pem"))
    return [
        StoredKey(name, v, v == current, folder / f"{v}.key.pem", folder / f"{v}.cert.pem") for v in found
    ]


def current(name: str) -> StoredKey:
    return next(k for k in versions(name) if k.current)


def names() -> list[str]:
    root = keys_dir()
    return sorted(p.name for p in root.iterdir() if (p / "current").is_file()) if root.is_dir() else []


def add(name: str, material: KeyMaterial, *, new: bool) -> StoredKey:
    """Store ``material`` as the next version of ``name`` and make it current."""
    folder = keys_dir() / check_name(name)
    if new and folder.exists():
        raise Conflict(f"a key named {name!r} exists; use 'jiliang keys rotate {name}'", "name")
    if not new and not folder.is_dir():
        raise NotFound("signing key", name)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    version = 1 if new else max(k.version for k in versions(name)) + 1
    _write_private(folder / f"{version}.key.pem", _at_rest(material.private_key_pem))
    (folder / f"{version}.cert.pem").write_bytes(material.certificate_pem)
    tmp = folder / "current.tmp"
    tmp.write_text(f"{version}\n")
    tmp.replace(folder / "current")  # atomic switch to the new version
    return current(name)


def encrypt(name: str) -> list[StoredKey]:
    """Encrypt every unencrypted version of ``name`` under the configured passphrase (in place,
    through a new 0600 file and an atomic rename)."""
    if passphrase() is None:
        raise InvalidInput(
            "JILIANG_KEY_PASSPHRASE", "set JILIANG_KEY_PASSPHRASE or JILIANG_KEY_PASSPHRASE_FILE first"
        )
    changed = []
    for key in versions(name):
        if key.encrypted:
            continue
        tmp = key.key_path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        _write_private(tmp, _at_rest(key.key_path.read_bytes()))
        tmp.replace(key.key_path)
        changed.append(key)
    return changed
