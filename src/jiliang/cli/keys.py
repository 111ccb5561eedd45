"""``jiliang keys create|list|rotate|export-public``: the institution's DCC signing keys.

Files are handled here (see :mod:`jiliang.cli.keystore`); keys are made by the pure
:func:`jiliang.dcc.generate_key` (ECDSA P-256 by default, or RSA 3072) with a self-signed
certificate. Give the exported certificate to whoever verifies your DCCs as a trust anchor.
"""

from __future__ import annotations

import argparse
import sys

from jiliang.cli import keystore
from jiliang.cli.output import dumps, emit
from jiliang.dcc import describe_certificate, generate_key
from jiliang.dcc.keys import ALGORITHMS, rotate_key
from jiliang.errors import InvalidInput


def _row(key: keystore.StoredKey) -> dict[str, object]:
    info = describe_certificate(key.cert_path.read_bytes())
    return {
        "name": key.name,
        "version": key.version,
        "current": key.current,
        "key_type": info.key_type,
        "subject": info.subject,
        "serial_number": f"{info.serial_number:x}",
        "not_before": info.not_before.isoformat(),
        "not_after": info.not_after.isoformat(),
        "sha256_fingerprint": info.sha256_fingerprint,
        "certificate": str(key.cert_path),
        "encrypted": key.encrypted,
    }


def _emit(rows: list[dict[str, object]], fmt: str) -> None:
    if fmt == "json":
        emit(dumps(rows))
        return
    for r in rows:
        mark = "*" if r["current"] else " "
        emit(
            f"{mark} {r['name']} v{r['version']}  {r['key_type']}  {r['subject']}  "
            f"valid {str(r['not_before'])[:10]}..{str(r['not_after'])[:10]}  sha256 {str(r['sha256_fingerprint'])[:16]}"
            + ("" if r["encrypted"] else "  UNENCRYPTED")
        )


def create(args: argparse.Namespace) -> int:
    keystore.check_name(args.name)
    material = generate_key(
        args.common_name or args.name,
        organization=args.organization,
        country=args.country,
        algorithm=args.algorithm,
        valid_days=args.days,
    )
    _emit([_row(keystore.add(args.name, material, new=True))], args.format)
    return 0


def rotate(args: argparse.Namespace) -> int:
    old = keystore.current(args.name).cert_path.read_bytes()
    material = rotate_key(old, algorithm=args.algorithm, valid_days=args.days)
    _emit([_row(keystore.add(args.name, material, new=False))], args.format)
    return 0


def list_keys(args: argparse.Namespace) -> int:
    rows = [_row(k) for name in keystore.names() for k in keystore.versions(name)]
    _emit(rows, args.format)
    plain = [f"{r['name']} v{r['version']}" for r in rows if not r["encrypted"]]
    if plain:
        sys.stderr.write(
            f"warning: private keys stored unencrypted (file mode 0600 only): {', '.join(plain)}; "
            "set JILIANG_KEY_PASSPHRASE (or JILIANG_KEY_PASSPHRASE_FILE) and run 'jiliang keys encrypt NAME'\n"
        )
    return 0


def encrypt(args: argparse.Namespace) -> int:
    changed = keystore.encrypt(args.name)
    _emit([_row(k) for k in keystore.versions(args.name)], args.format)
    sys.stderr.write(f"encrypted {len(changed)} key version(s) of {args.name}\n")
    return 0


def export_public(args: argparse.Namespace) -> int:
    keys = keystore.versions(args.name) if args.all else [keystore.current(args.name)]
    try:
        emit(b"".join(k.cert_path.read_bytes() for k in keys).decode(), args.output)
    except OSError as exc:
        raise InvalidInput("-o", f"cannot write {args.output}: {exc.strerror}") from None
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser(
        "keys", help="DCC signing keys (create, list, rotate, encrypt, export-public)"
    )
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    for action, func, helptext in (
        ("create", create, "create a signing key with a self-signed certificate"),
        ("rotate", rotate, "make a new current key version; older ones stay for verification"),
    ):
        p = sub.add_parser(action, help=helptext)
        p.add_argument("name", help="key name, e.g. 'lab-seal'")
        if action == "create":
            p.add_argument("--common-name", help="certificate subject CN (default: the name)")
            p.add_argument("--organization", help="certificate subject O")
            p.add_argument("--country", help="certificate subject C (two letters)")
        p.add_argument("--algorithm", choices=ALGORITHMS, default="ec-p256")
        p.add_argument("--days", type=int, default=3 * 365, help="validity in days (default 1095)")
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(func=func)
    p = sub.add_parser("list", help="list keys and their versions (* = current)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=list_keys)
    p = sub.add_parser("encrypt", help="encrypt a key's unencrypted versions with JILIANG_KEY_PASSPHRASE")
    p.add_argument("name")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=encrypt)
    p = sub.add_parser("export-public", help="print the certificate (PEM) to give to verifiers")
    p.add_argument("name")
    p.add_argument("--all", action="store_true", help="every version, not only the current one")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.set_defaults(func=export_public)
