"""What a human-readable DCC copy says, in zh-hans and en, independent of the output format.

The copy shows both languages side by side (the DCC's mandatory languages here are zh and
en). The uncertainty statement follows EA-4/02 M:2022 §5 (expanded uncertainty = standard
uncertainty times the coverage factor k, with the coverage probability).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from jiliang.dcc import Certificate, Quantity, Text
from jiliang.errors import InvalidInput
from jiliang.units import dsi_to_pint, parse_unit

LABELS: dict[str, tuple[str, str]] = {
    "title": ("校准证书", "Calibration Certificate"),
    "number": ("证书编号", "Certificate number"),
    "issuer": ("校准机构", "Calibration laboratory"),
    "customer": ("委托方", "Customer"),
    "item": ("被校准对象", "Item calibrated"),
    "identification": ("标识", "Identification"),
    "dates": ("校准日期", "Date of calibration"),
    "issued": ("签发日期", "Date of issue"),
    "results": ("校准结果", "Results of calibration"),
    "quantity": ("量", "Quantity"),
    "value": ("测得值", "Measured value"),
    "unit": ("单位", "Unit"),
    "expanded": ("扩展不确定度 U", "Expanded uncertainty U"),
    "k": ("包含因子 k", "Coverage factor k"),
    "uncertainty": ("测量不确定度", "Measurement uncertainty"),
    "decision": ("判定规则与符合性", "Decision rule and conformity"),
    "traceability": ("计量溯源性", "Metrological traceability"),
    "signers": ("负责人", "Responsible persons"),
    "verify": ("在线验证", "Verify online"),
    "schema": ("数字校准证书（DCC）版本", "Digital Calibration Certificate (DCC) schema"),
}
CONFORMITY = {
    "pass": ("符合", "pass"),
    "fail": ("不符合", "fail"),
    "conditionalPass": ("有条件符合", "conditional pass"),
    "conditionalFail": ("有条件不符合", "conditional fail"),
    "noPass": ("不能判定符合", "no pass"),
    "noFail": ("不能判定不符合", "no fail"),
}


def label(key: str) -> str:
    zh, en = LABELS[key]
    return f"{zh} / {en}"


def both(text: Text | None) -> str:
    """The zh and en contents of a DCC text ("中文 / English"), or the only one there is."""
    if text is None:
        return ""
    zh, en = text.get("zh"), text.get("en")
    return zh if zh == en else f"{zh} / {en}"


def unit_symbol(dsi: str) -> str:
    """``\\micro\\metre`` -> ``µm``; a unit outside D-SI is shown as written."""
    try:
        return f"{parse_unit(dsi_to_pint(dsi)):~P}" or "1"
    except InvalidInput:
        return dsi


def overview(cert: Certificate) -> list[tuple[str, str]]:
    """The identifying facts of the certificate as (label key, value), empty values left out."""
    core = cert.core
    items = "; ".join(both(i.name) + (f" ({i.model})" if i.model else "") for i in cert.items)
    idents = "; ".join(", ".join(f"{x.value}" for x in i.identifications) for i in cert.items)
    pairs = [
        ("number", core.unique_identifier),
        ("issuer", both(cert.laboratory.name)),
        ("customer", both(cert.customer.name)),
        ("item", items),
        ("identification", idents),
        ("dates", f"{core.begin_performance_date} – {core.end_performance_date}"),
        ("issued", str(core.issue_date or "")),
        ("signers", ", ".join(both(p.name) for p in cert.responsible_persons)),
    ]
    return [(key, value) for key, value in pairs if value]


@dataclass(frozen=True)
class Row:
    quantity: str
    value: str
    unit: str
    expanded: str
    coverage_factor: str


def _fmt(value: Decimal | float) -> str:
    """A Decimal as written in the DCC (its digits are significant); a float to 10 digits."""
    return str(value) if isinstance(value, Decimal) else f"{value:.10g}"


def quantity_rows(name: str, q: Quantity) -> list[Row]:
    u = q.uncertainty
    rows = []
    for i, value in enumerate(q.values):
        expanded = ""
        if u is not None and u.values:
            expanded = _fmt(u.values[i] if len(u.values) > 1 else u.values[0])
        rows.append(
            Row(
                quantity=name if i == 0 else "",
                value=_fmt(value),
                unit=unit_symbol(q.unit_of(i)),
                expanded=expanded,
                coverage_factor=_fmt(u.coverage_factor) if u is not None else "",
            )
        )
    return rows


def result_rows(cert: Certificate) -> list[tuple[str, list[Row]]]:
    """One table per ``dcc:result``: its name and the rows of its quantities."""
    tables = []
    for mr in cert.measurement_results:
        for result in mr.results:
            rows = [r for q in result.quantities for r in quantity_rows(both(q.name) or both(result.name), q)]
            tables.append((both(result.name), rows))
    return tables


def uncertainty_statement(cert: Certificate) -> tuple[str, str] | None:
    """EA-4/02 M:2022 §5 wording for each (k, p) used in the results; None without uncertainties."""
    pairs = sorted(
        {
            (q.uncertainty.coverage_factor, q.uncertainty.coverage_probability)
            for mr in cert.measurement_results
            for r in mr.results
            for q in r.quantities
            if q.uncertainty is not None
        }
    )
    if not pairs:
        return None
    zh = "；".join(f"包含因子 k = {_fmt(k)}，对应包含概率约为 {_fmt(p * 100)} %" for k, p in pairs)
    en = "; ".join(
        f"coverage factor k = {_fmt(k)}, corresponding to a coverage probability of approximately {_fmt(p * 100)} %"
        for k, p in pairs
    )
    return (
        f"报告的扩展不确定度 U 是标准不确定度乘以包含因子 k 得到的（{zh}）。",
        f"The reported expanded uncertainty U is the standard uncertainty multiplied by the coverage factor k ({en}).",
    )


def statements(cert: Certificate, ref_type: str) -> list[str]:
    out = []
    for st in cert.statements_of(ref_type):
        line = both(st.declaration)
        if st.norms:
            line += f" ({', '.join(st.norms)})"
        if st.conformity:
            zh, en = CONFORMITY.get(st.conformity, (st.conformity, st.conformity))
            line += f" — {zh} / {en}"
        out.append(line)
    return out


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code modules (with a 4-module quiet zone) for the verification URL."""
    if not url.startswith(("https://", "http://")):
        raise InvalidInput("url", "the verification URL must start with https:// or http://")
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return [list(map(bool, row)) for row in qr.get_matrix()]
