"""DCC throughput: build + validate + sign, and verification (issue 6 item 8).

Aims: >= 50 certificates/s for build + validate (all layers) + sign (XAdES-B-B, ECDSA P-256),
and >= 200/s for verification (signature, chain, validity at signing time, revocation).
The certificate is the bilingual gauge-block sample of the tests (two results, three
quantities). ``--quick`` runs fewer certificates.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

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
    table.print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
