"""Digital Calibration Certificates (PTB DCC 3.3.0, D-SI 2.2.1): build, parse, validate, sign, verify.

Pure core: bytes in, frozen dataclasses (or bytes) out; no files, no Django.

>>> report = validate(data)            # layered findings: xml, xsd, rules, units, signature
>>> cert = parse(data)                 # DCC 2.4.0-3.3.0 -> Certificate
>>> xml = build(cert)                  # Certificate -> DCC 3.3.0 (XSD- and rule-checked)
>>> signed = sign(xml, key_pem, [cert_pem])
>>> verify(signed, trust_anchors, revoked_serials={...})
"""

from jiliang.dcc.build import build
from jiliang.dcc.document import EmbeddedDocument, embed_document, extract_document
from jiliang.dcc.keys import KeyMaterial, describe_certificate, generate_key
from jiliang.dcc.model import (
    LATEST_SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS,
    Certificate,
    Contact,
    CoreData,
    ExpandedUncertainty,
    Finding,
    Identification,
    Item,
    Location,
    MeasurementResult,
    Quantity,
    RespPerson,
    Result,
    Software,
    Statement,
    Text,
    ValidationReport,
)
from jiliang.dcc.parse import parse
from jiliang.dcc.safexml import MAX_DOCUMENT_BYTES, MalformedDocument, parse_xml
from jiliang.dcc.signing import SignatureCheck, check_signature, load_signing_key, sign
from jiliang.dcc.validate import LAYERS, validate
from jiliang.dcc.verify import Verification, load_certificates, verify

__all__ = [
    "LATEST_SCHEMA_VERSION",
    "LAYERS",
    "MAX_DOCUMENT_BYTES",
    "SUPPORTED_SCHEMA_VERSIONS",
    "Certificate",
    "Contact",
    "CoreData",
    "EmbeddedDocument",
    "ExpandedUncertainty",
    "Finding",
    "Identification",
    "Item",
    "KeyMaterial",
    "Location",
    "MalformedDocument",
    "MeasurementResult",
    "Quantity",
    "RespPerson",
    "Result",
    "SignatureCheck",
    "Software",
    "Statement",
    "Text",
    "ValidationReport",
    "Verification",
    "build",
    "check_signature",
    "describe_certificate",
    "embed_document",
    "extract_document",
    "generate_key",
    "load_certificates",
    "load_signing_key",
    "parse",
    "parse_xml",
    "sign",
    "validate",
    "verify",
]
