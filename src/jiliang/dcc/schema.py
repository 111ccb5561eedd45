"""The bundled DCC schemas, loaded offline through a local catalogue.

Each DCC XSD pins its own ``schemaVersion`` (``xs:pattern value="3\\.3\\.0"``), so a document is
validated against the version it declares, never against the newest one (a signed document
cannot be upgraded without breaking its signature). The XSDs import D-SI, QUDT and XML-DSig by
URL; the resolver below maps each URL to the bundled copy and refuses everything else, so
validation never touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lxml import etree

from jiliang.dcc.model import SUPPORTED_SCHEMA_VERSIONS
from jiliang.errors import InvalidInput

_PACKAGE = "jiliang.dcc.schemas"

# schemaLocation written in the XSDs -> bundled file. The 3.2.x copies carry relative hints.
CATALOGUE: dict[str, str] = {
    "https://ptb.de/si/v2.2.1/SI_Format.xsd": "si-2.2.1.xsd",
    "https://www.ptb.de/si/v2.2.1/qudt/quantitykind.xsd": "qudt-quantitykind-2.2.1.xsd",
    "https://www.ptb.de/dcc/d-sig/xmldsig-core-schema.xsd": "xmldsig-core-schema.xsd",
    "https://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd": "xmldsig-core-schema.xsd",
    "https://ptb.de/si/v2.1.0/SI_Format.xsd": "si-2.1.0.xsd",
    "https://ptb.de/si/v2.0.0/SI_Format.xsd": "si-2.0.0.xsd",
    "https://ptb.de/si/v1.3.1/SI_Format.xsd": "si-1.3.1.xsd",
    "../dsi/v2.1.0.xsd": "si-2.1.0.xsd",
    "../xmldsig-core-schema.xsd": "xmldsig-core-schema.xsd",
}
_BASE = "bundled:/dcc/"


def _bundled(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath(name).read_bytes()


def _lookup(url: str) -> str | None:
    if url in CATALOGUE:
        return CATALOGUE[url]
    # lxml joins relative hints with the base URL of the including schema.
    for hint, name in CATALOGUE.items():
        if hint.startswith("..") and url.endswith(hint[2:]):
            return name
    return None


class _Catalogue(etree.Resolver):
    def resolve(self, system_url, public_id, context):
        name = _lookup(system_url or "")
        if name is None:
            raise InvalidInput("schema", f"import {system_url!r} is not in the bundled catalogue")
        return self.resolve_string(_bundled(name), context, base_url=_BASE + name)


def schema_file(version: str) -> str:
    """The bundled XSD of DCC ``version``; ``InvalidInput`` for a version not bundled."""
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        raise InvalidInput(
            "schemaVersion",
            f"DCC schema {version!r} is not bundled; supported: {', '.join(SUPPORTED_SCHEMA_VERSIONS)}",
        )
    return f"dcc-{version}.xsd"


@lru_cache(maxsize=len(SUPPORTED_SCHEMA_VERSIONS))
def load_schema(version: str) -> etree.XMLSchema:
    """Compile the XSD of DCC ``version`` with its imports from the bundled catalogue (cached:
    a compiled schema is immutable and costs milliseconds to build)."""
    name = schema_file(version)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_Catalogue())
    doc = etree.fromstring(_bundled(name), parser, base_url=_BASE + name)
    return etree.XMLSchema(doc.getroottree())
