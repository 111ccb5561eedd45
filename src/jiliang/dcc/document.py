"""The human-readable copy embedded in a DCC (``dcc:document``, DCC ``byteDataType``).

The root's children are ``administrativeData, measurementResults, comment?, document?,
ds:Signature*`` (DCC 3.3.0): the copy goes after the results and any comment. Embed before
signing; embedding into a signed DCC would break its signature, so it is refused.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from lxml import etree

from jiliang.dcc.model import Text
from jiliang.dcc.safexml import check_size, parse_xml
from jiliang.errors import Conflict, InvalidInput

DCC = "https://ptb.de/dcc"
NS = {"dcc": DCC, "ds": "http://www.w3.org/2000/09/xmldsig#"}


@dataclass(frozen=True)
class EmbeddedDocument:
    file_name: str
    mime_type: str
    content: bytes
    name: Text | None = None


def _el(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{DCC}}}{local}")
    el.text = text
    return el


def embed_document(data: bytes, document: EmbeddedDocument) -> bytes:
    """``data`` with ``document`` as its ``dcc:document`` (replacing one that is there)."""
    tree = parse_xml(data)
    root = tree.getroot()
    if root.find("ds:Signature", NS) is not None:
        raise Conflict("the DCC is signed: embed the copy before signing", "document")
    if not document.file_name.strip() or not document.mime_type.strip():
        raise InvalidInput("document", "a file name and a MIME type are required")
    old = root.find("dcc:document", NS)
    if old is not None:
        root.remove(old)
    anchor = root.find("dcc:comment", NS)
    if anchor is None:
        anchor = root.find("dcc:measurementResults", NS)
    if anchor is None:
        raise InvalidInput("document", "the DCC has no dcc:measurementResults")
    el = etree.Element(f"{{{DCC}}}document")
    if document.name is not None:
        name = _el(el, "name")
        for lang, content in document.name.contents:
            c = _el(name, "content", content)
            if lang:
                c.set("lang", lang)
    _el(el, "fileName", document.file_name)
    _el(el, "mimeType", document.mime_type)
    _el(el, "dataBase64", base64.b64encode(document.content).decode("ascii"))
    anchor.addnext(el)
    out = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    check_size(out, "document")
    return bytes(out)


def extract_document(data: bytes) -> EmbeddedDocument | None:
    """The ``dcc:document`` of a DCC, decoded; None when there is none."""
    el = parse_xml(data).getroot().find("dcc:document", NS)
    if el is None:
        return None
    name = el.find("dcc:name", NS)
    try:
        content = base64.b64decode(el.findtext("dcc:dataBase64", "", NS), validate=False)
    except (binascii.Error, ValueError):
        raise InvalidInput("dcc:document/dcc:dataBase64", "is not base64") from None
    return EmbeddedDocument(
        file_name=(el.findtext("dcc:fileName", "", NS)).strip(),
        mime_type=(el.findtext("dcc:mimeType", "", NS)).strip(),
        content=content,
        name=None
        if name is None
        else Text(tuple((c.get("lang"), c.text or "") for c in name.iterfind("dcc:content", NS))),
    )
