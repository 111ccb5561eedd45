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


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


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
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise MalformedDocument(field, f"not well-formed XML: {exc.msg}", line) from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or _ENTITY_DECLARATION.search(bytes(data[:65536]))):
        raise MalformedDocument(field, "a DOCTYPE declaring entities is refused (XXE / entity expansion)")
    return tree
