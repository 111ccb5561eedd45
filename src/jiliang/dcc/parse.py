"""Read a DCC (schema 2.4.0 to 3.3.0) into the typed model of :mod:`jiliang.dcc.model`.

Reading is lenient where real documents differ (D-SI 1.3.1/2.x ``si:expandedUnc`` as well as
D-SI 2.2 ``si:expandedMU``; ``si:hybrid`` and ``si:list`` wrappers; missing optional parts) and
strict where the model needs a value: a missing identifier or an unreadable date raises
``InvalidInput`` naming the element. Parsing does not validate: use :func:`jiliang.dcc.validate`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from lxml import etree

from jiliang.dcc.model import (
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
    Software,
    Statement,
    Text,
)
from jiliang.dcc.safexml import parse_xml
from jiliang.errors import InvalidInput

NS = {"dcc": "https://ptb.de/dcc", "si": "https://ptb.de/si", "ds": "http://www.w3.org/2000/09/xmldsig#"}
_ROOT = "{https://ptb.de/dcc}digitalCalibrationCertificate"
_XML_SPACE = " \t\n\r"  # XML whitespace (XSD \s); a no-break space is content


def _find(el: etree._Element, path: str) -> etree._Element | None:
    return el.find(path, NS)


def _findall(el: etree._Element, path: str) -> list[etree._Element]:
    return list(el.iterfind(path, NS))


def _str(el: etree._Element, path: str) -> str | None:
    found = _find(el, path)
    return found.text.strip(_XML_SPACE) if found is not None and found.text is not None else None


def _required(el: etree._Element, path: str) -> str:
    value = _str(el, path)
    if not value:
        raise InvalidInput(_where(el, path), "is missing or empty")
    return value


def _where(el: etree._Element, path: str) -> str:
    return f"{el.getroottree().getpath(el)}/{path}"


def _date(el: etree._Element, path: str, required: bool = True) -> dt.date | None:
    text = _required(el, path) if required else _str(el, path)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(_where(el, path), f"{text!r} is not a date (YYYY-MM-DD)") from None


def _text(el: etree._Element | None) -> Text | None:
    if el is None:
        return None
    return Text(tuple((c.get("lang"), (c.text or "").strip(_XML_SPACE)) for c in _findall(el, "dcc:content")))


def _text_of(el: etree._Element, path: str) -> Text:
    return _text(_find(el, path)) or Text(())


def _identifications(el: etree._Element | None) -> tuple[Identification, ...]:
    if el is None:
        return ()
    return tuple(
        Identification(_str(i, "dcc:issuer") or "", _str(i, "dcc:value") or "", _text(_find(i, "dcc:name")))
        for i in _findall(el, "dcc:identification")
    )


def _location(el: etree._Element | None) -> Location | None:
    if el is None:
        return None
    return Location(
        city=_str(el, "dcc:city"),
        country_code=_str(el, "dcc:countryCode"),
        post_code=_str(el, "dcc:postCode"),
        street=_str(el, "dcc:street"),
        street_no=_str(el, "dcc:streetNo"),
        further=_str(el, "dcc:further/dcc:content") or _str(el, "dcc:further"),
    )


def _contact(el: etree._Element | None) -> Contact:
    if el is None:
        return Contact(Text(()))
    return Contact(
        name=_text_of(el, "dcc:name"),
        email=_str(el, "dcc:eMail"),
        phone=_str(el, "dcc:phone"),
        location=_location(_find(el, "dcc:location")),
    )


def _core(adm: etree._Element) -> CoreData:
    core = _find(adm, "dcc:coreData")
    if core is None:
        raise InvalidInput(_where(adm, "dcc:coreData"), "is missing")
    return CoreData(
        unique_identifier=_required(core, "dcc:uniqueIdentifier"),
        country_code=_str(core, "dcc:countryCodeISO3166_1") or "",
        used_languages=tuple(e.text or "" for e in _findall(core, "dcc:usedLangCodeISO639_1")),
        mandatory_languages=tuple(e.text or "" for e in _findall(core, "dcc:mandatoryLangCodeISO639_1")),
        begin_performance_date=_date(core, "dcc:beginPerformanceDate"),  # type: ignore[arg-type]
        end_performance_date=_date(core, "dcc:endPerformanceDate"),  # type: ignore[arg-type]
        performance_location=_str(core, "dcc:performanceLocation") or "",
        issue_date=_date(core, "dcc:issueDate", required=False),
        receipt_date=_date(core, "dcc:receiptDate", required=False),
        identifications=_identifications(_find(core, "dcc:identifications")),
    )


def _item(el: etree._Element) -> Item:
    manufacturer = _find(el, "dcc:manufacturer")
    return Item(
        name=_text_of(el, "dcc:name"),
        identifications=_identifications(_find(el, "dcc:identifications")),
        manufacturer=_text_of(manufacturer, "dcc:name").get() if manufacturer is not None else None,
        model=_str(el, "dcc:model"),
        description=_text(_find(el, "dcc:description")),
    )


def _decimals(text: str | None, where: str) -> tuple[Decimal, ...]:
    """Numbers as written (``Decimal`` keeps ``100.0120``); the XSD layer checks their syntax."""
    try:
        values = tuple(Decimal(t) for t in (text or "").split())
    except InvalidOperation:
        raise InvalidInput(where, f"{text!r} is not a list of numbers") from None
    return values  # D-SI allows NaN (a missing value)


def _numbers(text: str | None, where: str) -> tuple[float, ...]:
    return tuple(float(v) for v in _decimals(text, where))


def _uncertainty(real: etree._Element, suffix: str) -> ExpandedUncertainty | None:
    where = real.getroottree().getpath(real)
    new = _find(real, f"si:measurementUncertaintyUnivariate{suffix}/si:expandedMU{suffix}")
    old = _find(real, f"si:expandedUnc{suffix}")
    if new is not None:
        el, value_tag = new, f"si:valueExpandedMU{suffix}"
    elif old is not None:
        el, value_tag = old, f"si:uncertainty{suffix}"
    else:
        return None
    k = _numbers(_str(el, f"si:coverageFactor{suffix}"), where)
    p = _numbers(_str(el, f"si:coverageProbability{suffix}"), where)
    return ExpandedUncertainty(
        values=_decimals(_str(el, value_tag), where),
        coverage_factor=k[0] if k else float("nan"),
        coverage_probability=p[0] if p else float("nan"),
        distribution=(_str(el, f"si:distribution{suffix}") or "").split(" ")[0] or None,
    )


def _real(real: etree._Element, as_list: bool) -> tuple[tuple[Decimal, ...], tuple[str, ...], object]:
    suffix = "XMLList" if as_list else ""
    where = real.getroottree().getpath(real)
    values = _decimals(_str(real, f"si:value{suffix}"), where)
    units = tuple((_str(real, f"si:unit{suffix}") or "").split())
    return values, units, _uncertainty(real, suffix)


def _quantity(el: etree._Element) -> Quantity | None:
    """The first machine-readable real value of a ``dcc:quantity`` (``si:hybrid``: its first)."""
    for path, as_list in (
        ("si:real", False),
        ("si:realListXMLList", True),
        ("si:hybrid/si:real", False),
        ("si:hybrid/si:realListXMLList", True),
        ("si:constant", False),
    ):
        real = _find(el, path)
        if real is not None:
            values, units, unc = _real(real, as_list)
            return Quantity(
                values=values,
                units=units,
                name=_text(_find(el, "dcc:name")),
                uncertainty=unc if isinstance(unc, ExpandedUncertainty) else None,
                ref_type=el.get("refType"),
                as_list=as_list and len(values) == 1,  # several values are always a list
            )
    reals = _findall(el, "si:list/si:real")
    if reals:
        parts = [_real(r, False) for r in reals]
        return Quantity(
            values=tuple(v for p in parts for v in p[0]),
            units=tuple(u for p in parts for u in p[1]),
            name=_text(_find(el, "dcc:name")),
            ref_type=el.get("refType"),
            as_list=len(parts) == 1,
        )
    return None


def _result(el: etree._Element) -> Result:
    quantities = [_quantity(q) for q in el.iterfind("dcc:data//dcc:quantity", NS)]
    return Result(
        name=_text_of(el, "dcc:name"),
        quantities=tuple(q for q in quantities if q is not None),
        description=_text(_find(el, "dcc:description")),
        ref_type=el.get("refType"),
    )


def _measurement_result(el: etree._Element) -> MeasurementResult:
    return MeasurementResult(
        name=_text_of(el, "dcc:name"),
        results=tuple(_result(r) for r in _findall(el, "dcc:results/dcc:result")),
        methods=tuple(_text_of(m, "dcc:name") for m in _findall(el, "dcc:usedMethods/dcc:usedMethod")),
    )


def _statement(el: etree._Element) -> Statement:
    traceable = _str(el, "dcc:traceable")
    return Statement(
        declaration=_text_of(el, "dcc:declaration"),
        ref_type=el.get("refType"),
        norms=tuple(n.text or "" for n in _findall(el, "dcc:norm")),
        conformity=_str(el, "dcc:conformity"),
        traceable=None if traceable is None else traceable == "true",
        date=_date_or_none(_str(el, "dcc:date")),
        period=_str(el, "dcc:period"),
    )


def _date_or_none(text: str | None) -> dt.date | None:
    """An xs:date (its optional time zone dropped); None when absent or unreadable (XSD's job)."""
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None


def _persons(adm: etree._Element) -> tuple[RespPerson, ...]:
    return tuple(
        RespPerson(
            name=_text_of(p, "dcc:person/dcc:name"),
            role=_str(p, "dcc:role"),
            main_signer=_str(p, "dcc:mainSigner") == "true",
        )
        for p in _findall(adm, "dcc:respPersons/dcc:respPerson")
    )


def certificate_from_tree(tree: etree._ElementTree) -> Certificate:
    """The model of an already parsed DCC tree."""
    root = tree.getroot()
    if root.tag != _ROOT:
        raise InvalidInput("/", f"root element is {root.tag!r}, not dcc:digitalCalibrationCertificate")
    adm = _find(root, "dcc:administrativeData")
    if adm is None:
        raise InvalidInput(_where(root, "dcc:administrativeData"), "is missing")
    return Certificate(
        core=_core(adm),
        items=tuple(_item(i) for i in _findall(adm, "dcc:items/dcc:item")),
        laboratory=_contact(_find(adm, "dcc:calibrationLaboratory/dcc:contact")),
        laboratory_code=_str(adm, "dcc:calibrationLaboratory/dcc:calibrationLaboratoryCode"),
        responsible_persons=_persons(adm),
        customer=_contact(_find(adm, "dcc:customer")),
        measurement_results=tuple(
            _measurement_result(m) for m in _findall(root, "dcc:measurementResults/dcc:measurementResult")
        ),
        software=tuple(
            Software(_text_of(s, "dcc:name").get(), _str(s, "dcc:release") or "")
            for s in _findall(adm, "dcc:dccSoftware/dcc:software")
        ),
        statements=tuple(_statement(s) for s in _findall(adm, "dcc:statements/dcc:statement")),
        schema_version=root.get("schemaVersion") or "",
        signed=_find(root, "ds:Signature") is not None,
    )


def parse(data: bytes) -> Certificate:
    """Parse DCC bytes (schema 2.4.0-3.3.0) safely into a :class:`Certificate`."""
    return certificate_from_tree(parse_xml(data))
