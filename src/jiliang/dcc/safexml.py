"""Safe parsing of untrusted XML (DCC uploads, imports from other institutes).

DCCs never need a DTD: external entities (XXE) and entity-expansion bombs ("billion laughs")
live in the DOCTYPE, so the parser resolves no entities, loads no DTD, reads nothing from the
network, keeps libxml2's limits (``huge_tree=False``), and a DOCTYPE declaring entities is
refused outright. Documents over 20 MB are refused before parsing.
"""

from __future__ import annotations

import re

from lxml import etree

from jiliang.errors import InvalidInput

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class MalformedDocument(InvalidInput):
    """The bytes are not a well-formed, safe XML document."""

    def __init__(self, field: str, reason: str, line: int | None = None) -> None:
        super().__init__(field, reason)
        self.line = line


def _parser(huge: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_blank_text=False,
    )


def admitted_parser() -> etree.XMLParser:
    """Parser for bytes that :func:`parse_xml` already admitted (<= 20 MB, no entities): lifts
    libxml2's 10 MB text-node limit so that an embedded PDF of several MB still parses."""
    return _parser(huge=True)


def _too_long_text(exc: etree.XMLSyntaxError, data: bytes) -> bool:
    # A base64 PDF in dcc:document can exceed libxml2's 10 MB text-node limit in a document
    # that is within our 20 MB; retry without that limit, but never for a document with a
    # DOCTYPE (the limits also guard entity expansion, which only a DOCTYPE can declare).
    return "Text node too long" in str(exc.msg) and b"<!DOCTYPE" not in data and b"<!doctype" not in data


def check_size(data: bytes, field: str = "document") -> None:
    """Refuse documents larger than 20 MB (issue 6: uploads up to 20 MB are accepted)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            field, f"document is {len(data)} bytes; at most {MAX_DOCUMENT_BYTES} bytes (20 MB) are accepted"
        )


def parse_xml(data: bytes, field: str = "document") -> etree._ElementTree:
    """Parse ``data`` safely; raise :class:`MalformedDocument` if it is not well-formed or unsafe."""
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput(field, "expected the document as bytes")
    check_size(bytes(data), field)
    data = bytes(data)
    try:
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            if not _too_long_text(exc, data):
                raise
            root = etree.fromstring(data, _parser(huge=True))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise MalformedDocument(field, f"not well-formed XML: {exc.msg}", line) from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or _ENTITY_DECLARATION.search(data[:65536])):
        raise MalformedDocument(field, "a DOCTYPE declaring entities is refused (XXE / entity expansion)")
    return tree
