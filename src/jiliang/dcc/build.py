"""Build a DCC 3.3.0 document (D-SI 2.2.1 quantities) from a :class:`Certificate`.

Element order follows the 3.3.0 XSD (``coreDataType``, ``itemType``, ``contactType``,
``statementMetaDataType``, ``quantityType`` sequences). Quantities are written as ``si:real``
or ``si:realListXMLList`` with the D-SI 2.2 ``si:measurementUncertaintyUnivariate`` /
``si:expandedMU`` form (the older ``si:expandedUnc`` is deprecated in D-SI 2.2). The builder is
strict: units must be D-SI, and the result must pass the XSD and the business rules, else
``InvalidInput`` and no document (fail closed before anything is signed).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from lxml import etree

from jiliang.dcc.model import (
    LATEST_SCHEMA_VERSION,
    Certificate,
    Contact,
    CoreData,
    ExpandedUncertainty,
    Identification,
    Item,
    Location,
    Number,
    Quantity,
    Result,
    Statement,
    Text,
)
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.units import is_dsi_unit

DCC = "https://ptb.de/dcc"
SI = "https://ptb.de/si"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"dcc": DCC, "si": SI, "xsi": XSI}


# Characters XML 1.0 can carry (§2.2 Char); control characters cannot be written at all.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    ns, _, local = tag.partition(":")
    for value in (text or "", *attrs.values()):
        bad = _NOT_XML.search(value)
        if bad:
            where = f"{parent.getroottree().getpath(parent)}/{tag}"
            raise InvalidInput(where, f"character U+{ord(bad.group()):04X} cannot be written in XML")
    el = etree.SubElement(parent, f"{{{NSMAP[ns]}}}{local}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        el.text = text
    return el


def _number(value: Number, field: str) -> str:
    """A D-SI ``decimalType`` literal (xs:double restricted: no ``inf``); a ``Decimal`` keeps
    its digits (``0.0020``), a float is written in its shortest repr."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(field, f"{value} is not a finite number")
        return str(value)
    if not math.isfinite(value):
        raise InvalidInput(field, f"{value!r} is not a finite number")
    return repr(float(value))


def _probability(value: float, field: str) -> str:
    """Coverage probability: in [0, 1] and, per D-SI 2.2.1, written without an exponent."""
    if not 0 <= value <= 1:
        raise InvalidInput(field, f"coverage probability {value!r} is not in [0, 1]")
    text = repr(float(value))
    return text if "e" not in text else f"{value:.12f}".rstrip("0")


def _text(parent: etree._Element, tag: str, text: Text) -> None:
    el = _sub(parent, tag)
    for lang, content in text.contents:
        _sub(el, "dcc:content", content, lang=lang or "")


def _location(parent: etree._Element, loc: Location) -> None:
    el = _sub(parent, "dcc:location")
    for tag, value in (
        ("street", loc.street),
        ("streetNo", loc.street_no),
        ("postCode", loc.post_code),
        ("city", loc.city),
        ("countryCode", loc.country_code),
        ("further", loc.further),
    ):
        if value:
            _sub(el, f"dcc:{tag}", value)


def _contact(parent: etree._Element, tag: str, contact: Contact, field: str) -> None:
    el = _sub(parent, tag)
    _text(el, "dcc:name", contact.name)
    if contact.email:
        _sub(el, "dcc:eMail", contact.email)
    if contact.phone:
        _sub(el, "dcc:phone", contact.phone)
    if contact.location is not None:
        _location(el, contact.location)
    elif tag != "dcc:person":
        raise InvalidInput(f"{field}.location", "a location is required")


def _identifications(parent: etree._Element, idents: tuple[Identification, ...]) -> None:
    el = _sub(parent, "dcc:identifications")
    for ident in idents:
        i = _sub(el, "dcc:identification")
        _sub(i, "dcc:issuer", ident.issuer)
        _sub(i, "dcc:value", ident.value)
        if ident.name is not None:
            _text(i, "dcc:name", ident.name)


def _core(parent: etree._Element, core: CoreData) -> None:
    el = _sub(parent, "dcc:coreData")
    _sub(el, "dcc:countryCodeISO3166_1", core.country_code)
    for lang in core.used_languages:
        _sub(el, "dcc:usedLangCodeISO639_1", lang)
    for lang in core.mandatory_languages:
        _sub(el, "dcc:mandatoryLangCodeISO639_1", lang)
    _sub(el, "dcc:uniqueIdentifier", core.unique_identifier)
    if core.identifications:
        _identifications(el, core.identifications)
    if core.receipt_date:
        _sub(el, "dcc:receiptDate", core.receipt_date.isoformat())
    _sub(el, "dcc:beginPerformanceDate", core.begin_performance_date.isoformat())
    _sub(el, "dcc:endPerformanceDate", core.end_performance_date.isoformat())
    _sub(el, "dcc:performanceLocation", core.performance_location)
    if core.issue_date:
        _sub(el, "dcc:issueDate", core.issue_date.isoformat())


def _item(parent: etree._Element, item: Item) -> None:
    el = _sub(parent, "dcc:item")
    _text(el, "dcc:name", item.name)
    if item.description is not None:
        _text(el, "dcc:description", item.description)
    if item.manufacturer:
        _text(_sub(el, "dcc:manufacturer"), "dcc:name", Text.of(item.manufacturer))
    if item.model:
        _sub(el, "dcc:model", item.model)
    _identifications(el, item.identifications)


def _statement(parent: etree._Element, st: Statement) -> None:
    el = _sub(parent, "dcc:statement", refType=st.ref_type or "")
    if st.traceable is not None:
        _sub(el, "dcc:traceable", "true" if st.traceable else "false")
    for norm in st.norms:
        _sub(el, "dcc:norm", norm)
    _text(el, "dcc:declaration", st.declaration)
    if st.date is not None:
        _sub(el, "dcc:date", st.date.isoformat())
    if st.period:
        _sub(el, "dcc:period", st.period)
    if st.conformity:
        _sub(el, "dcc:conformity", st.conformity)


def _check_units(q: Quantity, field: str) -> None:
    if not q.units or len(q.units) not in {1, len(q.values)}:
        raise InvalidInput(f"{field}.units", "give one unit, or one unit per value")
    for unit in q.units:
        if not is_dsi_unit(unit):
            raise InvalidInput(f"{field}.units", f"{unit!r} is not a D-SI unit (write e.g. \\kelvin)")


def _expanded(parent: etree._Element, u: ExpandedUncertainty, as_list: bool, field: str) -> None:
    if any(v < 0 for v in u.values):
        raise InvalidInput(f"{field}.uncertainty", "an expanded uncertainty is never negative")
    if u.coverage_factor < 1:
        raise InvalidInput(f"{field}.uncertainty.coverage_factor", "the coverage factor is at least 1")
    suffix = "XMLList" if as_list else ""
    mu = _sub(parent, f"si:measurementUncertaintyUnivariate{suffix}")
    exp = _sub(mu, f"si:expandedMU{suffix}")
    values = " ".join(_number(v, f"{field}.uncertainty") for v in u.values)
    _sub(exp, f"si:valueExpandedMU{suffix}", values)
    _sub(
        exp, f"si:coverageFactor{suffix}", _number(u.coverage_factor, f"{field}.uncertainty.coverage_factor")
    )
    _sub(
        exp,
        f"si:coverageProbability{suffix}",
        _probability(u.coverage_probability, f"{field}.uncertainty.coverage_probability"),
    )
    if u.distribution:
        _sub(exp, f"si:distribution{suffix}", u.distribution)


def _quantity(parent: etree._Element, q: Quantity, field: str) -> None:
    _check_units(q, field)
    if not q.values:
        raise InvalidInput(f"{field}.values", "a quantity needs at least one value")
    if q.uncertainty is not None and len(q.uncertainty.values) not in {1, len(q.values)}:
        raise InvalidInput(f"{field}.uncertainty", "give one uncertainty, or one per value")
    el = _sub(parent, "dcc:quantity", refType=q.ref_type or "")
    if q.name is not None:
        _text(el, "dcc:name", q.name)
    as_list = q.as_list or len(q.values) > 1
    real = _sub(el, "si:realListXMLList" if as_list else "si:real")
    suffix = "XMLList" if as_list else ""
    _sub(real, f"si:value{suffix}", " ".join(_number(v, f"{field}.values") for v in q.values))
    _sub(real, f"si:unit{suffix}", " ".join(q.units))
    if q.uncertainty is not None:
        _expanded(real, q.uncertainty, as_list, field)


def _result(parent: etree._Element, result: Result, field: str) -> None:
    el = _sub(parent, "dcc:result", refType=result.ref_type or "")
    _text(el, "dcc:name", result.name)
    if result.description is not None:
        _text(el, "dcc:description", result.description)
    data = _sub(el, "dcc:data")
    if not result.quantities:
        raise InvalidInput(f"{field}.quantities", "a result needs at least one quantity")
    target = data if len(result.quantities) == 1 else _sub(data, "dcc:list")
    for i, q in enumerate(result.quantities):
        _quantity(target, q, f"{field}.quantities[{i}]")


def _administrative(root: etree._Element, cert: Certificate) -> None:
    adm = _sub(root, "dcc:administrativeData")
    sw = _sub(adm, "dcc:dccSoftware")
    for software in cert.software:
        s = _sub(sw, "dcc:software")
        _text(s, "dcc:name", Text.of(software.name))
        _sub(s, "dcc:release", software.release)
    _core(adm, cert.core)
    items = _sub(adm, "dcc:items")
    for item in cert.items:
        _item(items, item)
    lab = _sub(adm, "dcc:calibrationLaboratory")
    if cert.laboratory_code:
        _sub(lab, "dcc:calibrationLaboratoryCode", cert.laboratory_code)
    _contact(lab, "dcc:contact", cert.laboratory, "laboratory")
    persons = _sub(adm, "dcc:respPersons")
    for person in cert.responsible_persons:
        p = _sub(persons, "dcc:respPerson")
        _contact(p, "dcc:person", Contact(person.name), "responsible_persons")
        if person.role:
            _sub(p, "dcc:role", person.role)
        if person.main_signer:
            _sub(p, "dcc:mainSigner", "true")
    _contact(adm, "dcc:customer", cert.customer, "customer")
    if cert.statements:
        statements = _sub(adm, "dcc:statements")
        for st in cert.statements:
            _statement(statements, st)


def build_tree(cert: Certificate) -> etree._Element:
    """The DCC 3.3.0 element tree of ``cert`` (not yet checked against the XSD)."""
    if cert.schema_version != LATEST_SCHEMA_VERSION:
        raise InvalidInput("schema_version", f"Jiliang writes DCC {LATEST_SCHEMA_VERSION} only")
    root = etree.Element(f"{{{DCC}}}digitalCalibrationCertificate", nsmap=NSMAP)
    root.set(f"{{{XSI}}}schemaLocation", f"{DCC} https://ptb.de/dcc/v{LATEST_SCHEMA_VERSION}/dcc.xsd")
    root.set("schemaVersion", LATEST_SCHEMA_VERSION)
    _administrative(root, cert)
    results = _sub(root, "dcc:measurementResults")
    for i, mr in enumerate(cert.measurement_results):
        m = _sub(results, "dcc:measurementResult")
        _text(m, "dcc:name", mr.name)
        if mr.methods:
            methods = _sub(m, "dcc:usedMethods")
            for method in mr.methods:
                _text(_sub(methods, "dcc:usedMethod"), "dcc:name", method)
        rs = _sub(m, "dcc:results")
        for j, result in enumerate(mr.results):
            _result(rs, result, f"measurement_results[{i}].results[{j}]")
    return root


def build(cert: Certificate) -> bytes:
    """Serialise ``cert`` as a DCC 3.3.0 document (UTF-8 bytes).

    Fails closed: raises ``InvalidInputs`` listing every XSD or business-rule error of the
    would-be document, so nothing invalid is ever issued or signed.
    """
    from jiliang.dcc.validate import validate

    data = etree.tostring(build_tree(cert), xml_declaration=True, encoding="UTF-8")
    report = validate(data, layers=("xml", "xsd", "rules", "units"))
    if not report.valid:
        raise InvalidInputs([InvalidInput(f.path, f"{f.rule}: {f.message}") for f in report.errors()])
    return data
