"""Builders for DCC tests: a sample certificate and test keys / CA chains."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from jiliang.dcc import (
    Certificate,
    Contact,
    CoreData,
    ExpandedUncertainty,
    Identification,
    Item,
    Location,
    MeasurementResult,
    Quantity,
    RespPerson,
    Result,
    Statement,
    Text,
)

DATA = Path(__file__).resolve().parent / "data"
# CI lays shared/ beside the checkout (<root>/../shared/dcc); a helper's worktree sits one
# level deeper (/work/wt/NAME beside /work/shared).
_ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p for p in (_ROOT / ".." / "shared" / "dcc", _ROOT / ".." / ".." / "shared" / "dcc") if p.is_dir()),
    _ROOT / ".." / "shared" / "dcc",
)


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def sample_certificate(**changes: object) -> Certificate:
    """A bilingual (zh, en) calibration certificate of a gauge block, with a list result."""
    cert = Certificate(
        core=CoreData(
            unique_identifier="JL-2026-000123",
            country_code="CN",
            used_languages=("zh", "en"),
            mandatory_languages=("zh", "en"),
            begin_performance_date=dt.date(2026, 3, 2),
            end_performance_date=dt.date(2026, 3, 3),
            issue_date=dt.date(2026, 3, 5),
            receipt_date=dt.date(2026, 3, 1),
        ),
        items=(
            Item(
                name=Text.of(zh="量块", en="Gauge block"),
                identifications=(
                    Identification("manufacturer", "GB-50-0042", Text.of(zh="出厂编号", en="Serial number")),
                ),
                manufacturer="Example Gauges Ltd",
                model="GB-50",
            ),
        ),
        laboratory=Contact(
            Text.of("Example Metrology Institute"), location=Location(city="Hangzhou", country_code="CN")
        ),
        laboratory_code="CNAS L0000",
        responsible_persons=(RespPerson(Text.of("Li Wei"), role="Reviewer", main_signer=True),),
        customer=Contact(
            Text.of("Example Manufacturing Co."), location=Location(city="Ningbo", country_code="CN")
        ),
        measurement_results=(
            MeasurementResult(
                name=Text.of(zh="量块长度校准", en="Calibration of gauge block length"),
                methods=(Text.of(zh="机械比较法", en="Mechanical comparison"),),
                results=(
                    Result(
                        name=Text.of(zh="中心长度偏差", en="Deviation of central length"),
                        quantities=(
                            Quantity(
                                values=(D("0.12"),),
                                units=(r"\micro\metre",),
                                name=Text.of(zh="偏差", en="Deviation"),
                                uncertainty=ExpandedUncertainty((D("0.05"),), 2.0, 0.95, "normal"),
                                ref_type="basic_measuredValue",
                            ),
                        ),
                    ),
                    Result(
                        name=Text.of(zh="温度点", en="Temperature points"),
                        quantities=(
                            Quantity(
                                values=(D("20.0"), D("20.5")),
                                units=(r"\degreecelsius",),
                                name=Text.of(zh="温度", en="Temperature"),
                            ),
                            Quantity(
                                values=(D("50.00012"), D("50.00013")),
                                units=(r"\milli\metre",),
                                name=Text.of(zh="长度", en="Length"),
                                uncertainty=ExpandedUncertainty((D("0.000050"), D("0.000060")), 2.0, 0.95),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        statements=(
            Statement(
                Text.of(
                    zh="采用简单接受规则（ILAC-G8:09/2019 4.2.1）。",
                    en="Simple acceptance (ILAC-G8:09/2019 4.2.1).",
                ),
                ref_type="basic_conformity",
                norms=("ILAC-G8:09/2019",),
                conformity="pass",
            ),
            Statement(
                Text.of(
                    zh="结果可溯源至国家长度基准。",
                    en="Results are traceable to the national length standard.",
                ),
                ref_type="basic_metrologicalTraceability",
                traceable=True,
            ),
        ),
    )
    return dataclasses.replace(cert, **changes)  # type: ignore[arg-type]


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def ca_chain(now: dt.datetime | None = None) -> tuple[bytes, bytes, bytes]:
    """A test CA and a signer certificate it issued: (ca_pem, signer_key_pem, signer_cert_pem)."""
    now = now or dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name("Test Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Laboratory Seal"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _pem(ca), _key_pem(key), _pem(leaf)
