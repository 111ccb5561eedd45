"""The file store of signing keys behind ``jiliang keys`` and ``jiliang dcc sign``.

Layout under ``$JILIANG_DATA_DIR/keys/`` (default ``~/.local/share/jiliang/keys``)::

    NAME/1.key.pem    private key, PKCS#8 PEM, mode 0600
    NAME/1.cert.pem   its self-signed X.509 certificate
    NAME/2.key.pem    ... after ``jiliang keys rotate NAME``
    NAME/current      the version used for signing ("2")

Rotation never deletes: retired certificates stay to verify what they signed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class StoredKey:
    name: str
    version: int
    current: bool
    key_path: Path
    cert_path: Path


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
    _write_private(folder / f"{version}.key.pem", material.private_key_pem)
    (folder / f"{version}.cert.pem").write_bytes(material.certificate_pem)
    tmp = folder / "current.tmp"
    tmp.write_text(f"{version}\n")
    tmp.replace(folder / "current")  # atomic switch to the new version
    return current(name)
