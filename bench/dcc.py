"""DCC throughput: build + validate + sign, and verification (issue 6 item 8).

Aims: >= 50 certificates/s for build + validate (all layers) + sign (XAdES-B-B, ECDSA P-256),
and >= 200/s for verification (signature, chain, validity at signing time, revocation).
The certificate is the bilingual gauge-block sample of the tests (two results, three
quantities). ``--quick`` runs fewer certificates. The public verification through HTTP is
measured last (``--no-http`` skips it).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.dcc.builders import sample_certificate

from bench.common import Table
from jiliang.dcc import build, generate_key, load_certificates, load_signing_key, sign, validate, verify


def _certificates(n: int):
    base = sample_certificate()
    return [
        dataclasses.replace(base, core=dataclasses.replace(base.core, unique_identifier=f"JL-2026-{i:06d}"))
        for i in range(n)
    ]


def _rate(fn, items) -> tuple[float, list, str]:
    """Wall-clock rate, the results, and a note with the CPU-time rate (the machine is shared:
    the CPU-time figure is what one free core would do)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = [fn(x) for x in items]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(items) / wall, out, f"{len(items) / cpu:.0f}/s per CPU-second"


# Public verification through HTTP: the platform's WSGI application on 127.0.0.1, one request at a
# time, SQLite in a temporary data dir; bounded (n requests per case), loopback only.


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # one line per request would dominate the timing
        pass


def _issued_certificate():
    """Migrate a fresh database and export one issued record with its institution's key."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests import factories
    from tests.calibration import builders as b

    from jiliang import dcc
    from jiliang.calibration import certificates
    from jiliang.cli import keystore
    from jiliang.registry.policy import SYSTEM

    record = b.issued(b.lab(), factories.instrument(), [{"standard": b.primary()}])
    keystore.add(certificates.key_name(record), dcc.generate_key("Bench Laboratory"), new=True)
    return certificates.sign(SYSTEM, record)


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.xml"\r\n'
            "Content-Type: application/xml\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _http_rate(requests: list[urllib.request.Request], expect: str) -> float:
    start = time.perf_counter()
    for req in requests:
        with urllib.request.urlopen(req, timeout=30) as response:
            assert f'"status": "{expect}"'.encode() in response.read()
    return len(requests) / (time.perf_counter() - start)


def http_measure(n: int) -> list[tuple[str, float, str]]:
    os.environ["JILIANG_DATA_DIR"] = tempfile.mkdtemp(prefix="jiliang-bench-")
    os.environ.pop("JILIANG_DATABASE_URL", None)
    from jiliang.cli.platform import setup_django

    setup_django()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.JILIANG_VERIFY_RATE_LIMIT = 10**9  # measure the verification, not the limiter
    stored = _issued_certificate()
    data = bytes(stored.signed_xml)
    tampered = data.replace(b"<si:value>10.2</si:value>", b"<si:value>10.3</si:value>", 1)
    assert tampered != data
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/api/certificates/verify/"
    try:
        _http_rate([urllib.request.Request(f"{base}?number={stored.number}")] * 3, "valid")  # warm-up
        by_number = [urllib.request.Request(f"{base}?number={stored.number}") for _ in range(n)]
        out = [("verify by number (GET, JSON)", _http_rate(by_number, "valid"), "")]
        for label, doc, expect in (("exact", data, "valid"), ("one digit changed", tampered, "tampered")):
            body, ctype = _multipart(doc)
            posts = [urllib.request.Request(base, body, {"Content-Type": ctype}) for _ in range(n)]
            out.append((f"verify upload, {label} (POST)", _http_rate(posts, expect), f"{len(doc)} bytes"))
        return out
    finally:
        server.shutdown()


def main(argv: list[str]) -> int:
    n = 60 if "--quick" in argv else 300
    table = Table("DCC: build, validate, sign, verify (per certificate, one core)")
    certs = _certificates(n)
    for algorithm in ("ec-p256", "rsa-3072"):
        key = generate_key("Bench Laboratory", algorithm=algorithm)
        anchors = load_certificates(key.certificate_pem)
        private_key = load_signing_key(key.private_key_pem)  # an issuer loads its key once

        def issue(cert, key=key, private_key=private_key):
            xml = build(cert)  # build includes the XSD + rules + units check (fail closed)
            assert validate(xml).valid
            return sign(xml, private_key, [key.certificate_pem])

        issue(certs[0])  # warm-up: schema compilation
        rate, signed, note = _rate(issue, certs)
        table.add(f"build + validate + sign ({algorithm}, XAdES-B-B)", rate, "cert/s", aim=">= 50", note=note)
        rate, results, note = _rate(lambda s, a=anchors: verify(s, a, revoked_serials={1, 2, 3}), signed)
        assert all(r.ok for r in results)
        table.add(f"verify ({algorithm})", rate, "cert/s", aim=">= 200", note=note)
        rate, reports, note = _rate(validate, signed)
        assert all(r.valid for r in reports)
        table.add(f"validate, all 5 layers, signed ({algorithm})", rate, "cert/s", note=note)
    xmls = [build(c) for c in certs]
    rate, _, note = _rate(build, certs)
    table.add("build alone (incl. its XSD/rules check)", rate, "cert/s", note=note)
    rate, _, note = _rate(lambda x: validate(x, layers=("xml", "xsd")), xmls)
    table.add("validate xml + xsd only", rate, "cert/s", note=f"{note}; {len(xmls[0])} bytes each")
    if "--no-http" not in argv:
        for case, rate, note in http_measure(n):
            table.add(
                f"HTTP: {case}", rate, "req/s", note=f"one client, wsgiref, SQLite; {note}".rstrip("; ")
            )
    table.print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
