"""The traceability chain of a record as a DAG, and its verdict (VIM 2.41 metrological
traceability; ISO/IEC 17025:2017 6.5 and ILAC-P10:07/2020 on traceability; JJF 1104).

Plain data in, frozen dataclasses out: no database here, so the rules are tested on their own.
A node is a certificate (a calibration record); a link runs from a record to the certificate of a
standard it used. A chain is complete where every path ends at a national primary standard
(计量基准) or at a certificate of a foreign national metrology institute recognised under the
CIPM MRA (its KCDB CMC reference recorded on that certificate).

A reason keeps its sentence as a gettext message id with named placeholders and the values apart;
its message is worded when read, in the active language, so a chain read once can be shown in
either language (zh-hans and en).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext, gettext_noop

NATIONAL_PRIMARY = "national_primary"
EXPIRED, MISSING, UNCERTAINTY, UNACCREDITED, CYCLE, INVALID_DCC = (
    "expired_link",
    "missing_link",
    "uncertainty_not_growing",
    "unaccredited_link",
    "cycle",
    "invalid_dcc",
)
RECORD, IMPORTED_DCC = "record", "imported_dcc"
IN_FORCE = ("issued", "superseded", "imported")


@dataclass(frozen=True)
class DccEvidence:
    """The imported DCC behind a node: its validation verdict (all layers of
    ``jiliang.dcc.validate``), signature status and, when invalid, the first error."""

    imported_id: int
    valid: bool
    signature_status: str
    problem: str = ""


@dataclass(frozen=True)
class Node:
    """A certificate. ``points`` are (dimension, nominal, U) in SI base units; ``competent``
    says whether the issuer was authorised or accredited for the area on that date."""

    id: int
    certificate_number: str
    issuer: str
    item: str
    calibration_date: date
    valid_until: date | None
    status: str
    competent: bool
    mra_reference: str = ""
    points: tuple[tuple[str, float, float], ...] = ()
    source: str = RECORD
    dcc: DccEvidence | None = None


@dataclass(frozen=True)
class Link:
    """``user`` used ``standard`` on ``used_on`` with ``certificate`` (None: none named);
    ``point`` is the user's (dimension, nominal, U) in SI base units at that measurement point."""

    user: int
    standard: str
    standard_level: str
    certificate: int | None
    used_on: date
    point: tuple[str, float, float] | None = None


@dataclass(frozen=True)
class Reason:
    """Why a chain is broken at ``record``: ``text`` is the English sentence with ``%(name)s``
    placeholders (its gettext message id), ``params`` the values, already text."""

    code: str
    record: int
    text: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """The sentence in the active language."""
        return gettext(self.text) % dict(self.params)


def _reason(code: str, record: int, text: str, **params: object) -> Reason:
    return Reason(code, record, text, tuple((k, str(v)) for k, v in params.items()))


# The sentence of a certificate that is not in force, by its status; another status gets the last.
_NOT_IN_FORCE = {
    "revoked": gettext_noop("certificate %(certificate)s of %(standard)s is revoked"),
    "draft": gettext_noop("certificate %(certificate)s of %(standard)s is a draft, not issued"),
    "checked": gettext_noop("certificate %(certificate)s of %(standard)s is checked but not issued"),
}
_OTHER_STATUS = gettext_noop("certificate %(certificate)s of %(standard)s is %(status)s")


@dataclass(frozen=True)
class Chain:
    root: int
    verdict: str
    reasons: tuple[Reason, ...]
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    levels: Mapping[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jiliang trace chain`` and ``GET /api/traceability/chain/``."""
        by_id = {n.id: n for n in self.nodes}
        return {
            "root": by_id[self.root].certificate_number,
            "verdict": self.verdict,
            "reasons": [
                {"code": r.code, "record": by_id[r.record].certificate_number, "message": r.message}
                for r in self.reasons
            ],
            "nodes": [_node_dict(n, self.levels.get(n.id)) for n in self.nodes],
            "links": [_link_dict(link, by_id) for link in self.links],
        }


def _node_dict(node: Node, level: int | None) -> dict[str, Any]:
    return {
        "id": node.id,
        "certificate_number": node.certificate_number,
        "issuer": node.issuer,
        "item": node.item,
        "calibration_date": node.calibration_date.isoformat(),
        "valid_until": node.valid_until.isoformat() if node.valid_until else None,
        "status": node.status,
        "cipm_mra_reference": node.mra_reference or None,
        "expanded_uncertainty_si": min((p[2] for p in node.points), default=None),
        "level": level,
        "source": node.source,
        "dcc": _dcc_dict(node.dcc),
    }


def _dcc_dict(evidence: DccEvidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "imported_id": evidence.imported_id,
        "valid": evidence.valid,
        "signature": evidence.signature_status,
        "problem": evidence.problem or None,
    }


def _link_dict(link: Link, by_id: Mapping[int, Node]) -> dict[str, Any]:
    cert = by_id.get(link.certificate) if link.certificate is not None else None
    return {
        "from": link.user,
        "to": link.certificate,
        "standard": link.standard,
        "standard_level": link.standard_level,
        "used_on": link.used_on.isoformat(),
        "certificate": cert.certificate_number if cert else None,
        "issuer": cert.issuer if cert else None,
        "valid_from": cert.calibration_date.isoformat() if cert else None,
        "valid_until": cert.valid_until.isoformat() if cert and cert.valid_until else None,
        "expanded_uncertainty_si": link.point[2] if link.point else None,
        "imported_dcc": cert.dcc.imported_id if cert and cert.source == IMPORTED_DCC and cert.dcc else None,
        "dcc_valid": cert.dcc.valid if cert and cert.dcc else None,
    }


def evaluate(root: int, nodes: Mapping[int, Node], links: Sequence[Link]) -> Chain:
    """The chain above ``root`` with every reason it is broken (ILAC-P10 / 17025 6.5)."""
    out: dict[int, list[Link]] = {}
    for link in links:
        out.setdefault(link.user, []).append(link)
    levels = _levels(root, out, nodes)
    reasons: list[Reason] = []
    for node_id in levels:
        node = nodes[node_id]
        reasons.extend(_node_reasons(node, out.get(node_id, [])))
        for link in out.get(node_id, []) if not node.mra_reference else []:
            reasons.extend(_link_reasons(link, nodes))
    reasons.extend(_cycles(root, out))
    kept = sorted(
        (link for link in links if link.user in levels), key=lambda link: (levels[link.user], link.standard)
    )
    return Chain(
        root=root,
        verdict="broken" if reasons else "traceable",
        reasons=tuple(reasons),
        nodes=tuple(nodes[i] for i in levels),
        links=tuple(kept),
        levels=levels,
    )


def _levels(root: int, out: Mapping[int, list[Link]], nodes: Mapping[int, Node]) -> dict[int, int]:
    """Breadth-first distance of each reachable certificate (on record) from the root."""
    levels = {root: 0}
    queue = deque([root])
    while queue:
        here = queue.popleft()
        for link in out.get(here, []):
            target = link.certificate
            if target is not None and target in nodes and target not in levels:
                levels[target] = levels[here] + 1
                queue.append(target)
    return levels


def _node_reasons(node: Node, links: Sequence[Link]) -> list[Reason]:
    reasons = []
    if node.dcc is not None and not node.dcc.valid:
        reasons.append(
            _reason(
                INVALID_DCC,
                node.id,
                gettext_noop("the DCC %(certificate)s of %(issuer)s failed validation: %(problem)s"),
                certificate=node.certificate_number,
                issuer=node.issuer,
                problem=node.dcc.problem,
            )
        )
    if not node.competent and not node.mra_reference:
        reasons.append(
            _reason(
                UNACCREDITED,
                node.id,
                gettext_noop("%(issuer)s was not authorised or accredited for %(certificate)s"),
                issuer=node.issuer,
                certificate=node.certificate_number,
            )
        )
    if not links and not node.mra_reference:
        reasons.append(_dead_end(node))
    return reasons


def _dead_end(node: Node) -> Reason:
    if node.source == IMPORTED_DCC:
        text = gettext_noop(
            "the imported DCC %(certificate)s of %(issuer)s names no CIPM MRA reference, "
            "and the calibrations behind it are not on record"
        )
        return _reason(MISSING, node.id, text, certificate=node.certificate_number, issuer=node.issuer)
    text = gettext_noop(
        "%(certificate)s cites no measurement standard and is neither a national primary "
        "standard nor a CIPM MRA certificate"
    )
    return _reason(MISSING, node.id, text, certificate=node.certificate_number)


def _link_reasons(link: Link, nodes: Mapping[int, Node]) -> list[Reason]:
    if link.certificate is None:
        if link.standard_level == NATIONAL_PRIMARY:
            return []
        text = gettext_noop("no certificate named for %(standard)s")
        return [_reason(MISSING, link.user, text, standard=link.standard)]
    cert = nodes.get(link.certificate)
    if cert is None:
        text = gettext_noop("the certificate of %(standard)s is not on record")
        return [_reason(MISSING, link.user, text, standard=link.standard)]
    named = {"certificate": cert.certificate_number, "standard": link.standard}
    if cert.status not in IN_FORCE:
        if cert.status in _NOT_IN_FORCE:
            return [_reason(EXPIRED, link.user, _NOT_IN_FORCE[cert.status], **named)]
        return [_reason(EXPIRED, link.user, _OTHER_STATUS, **named, status=cert.status)]
    if cert.valid_until is None and cert.source == IMPORTED_DCC:
        text = gettext_noop(
            "the imported DCC %(certificate)s of %(standard)s has no recalibration date "
            "(give one when importing)"
        )
        return [_reason(EXPIRED, link.user, text, **named)]
    if cert.valid_until is None:
        text = gettext_noop(
            "certificate %(certificate)s of %(standard)s gives no date it is valid until, "
            "so it was not valid on %(used_on)s"
        )
        return [_reason(EXPIRED, link.user, text, **named, used_on=link.used_on)]
    if cert.calibration_date > link.used_on or cert.valid_until < link.used_on:
        text = gettext_noop(
            "certificate %(certificate)s of %(standard)s was not valid on %(used_on)s "
            "(%(valid_from)s to %(valid_until)s)"
        )
        return [
            _reason(
                EXPIRED,
                link.user,
                text,
                **named,
                used_on=link.used_on,
                valid_from=cert.calibration_date,
                valid_until=cert.valid_until,
            )  # fmt: skip
        ]
    return _uncertainty_reasons(link, cert)


def _uncertainty_reasons(link: Link, cert: Node) -> list[Reason]:
    """Uncertainty grows down the chain: the user's U must exceed the certificate's U at the
    certificate's point nearest in nominal value (same dimension only)."""
    if link.point is None:
        return []
    dimension, nominal, used_u = link.point
    same = [p for p in cert.points if p[0] == dimension]
    if not same:
        return []
    parent_u = min(same, key=lambda p: abs(p[1] - nominal))[2]
    if used_u > parent_u:
        return []
    text = gettext_noop(
        "U = %(used)s (SI) is not larger than U = %(parent)s of %(certificate)s for %(standard)s"
    )
    return [
        _reason(
            UNCERTAINTY,
            link.user,
            text,
            used=f"{used_u:.3g}",
            parent=f"{parent_u:.3g}",
            certificate=cert.certificate_number,
            standard=link.standard,
        )  # fmt: skip
    ]


def _cycles(root: int, out: Mapping[int, list[Link]]) -> list[Reason]:
    """Each back edge of a depth-first search closes a cycle (a certificate tracing to itself)."""
    reasons: list[Reason] = []
    state: dict[int, int] = {}  # 1 on the stack, 2 done
    stack: list[tuple[int, int]] = [(root, 0)]
    path: list[int] = []
    while stack:
        node, index = stack.pop()
        if index == 0:
            state[node] = 1
            path.append(node)
        targets = [link.certificate for link in out.get(node, []) if link.certificate is not None]
        if index < len(targets):
            stack.append((node, index + 1))
            target = targets[index]
            if state.get(target) == 1:
                loop = path[path.index(target) :] + [target]
                path_text = " -> ".join(str(i) for i in loop)
                reasons.append(_reason(CYCLE, node, gettext_noop("cycle: %(path)s"), path=path_text))
            elif target not in state:
                stack.append((target, 0))
        else:
            state[node] = 2
            path.pop()
    return reasons
