"""Chain verdicts for each failure reason (issue 5, items 3 and 7), on plain data."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from jiliang.traceability.graph import Link, Node, evaluate

L = ("[length]", 0.01)


def node(i: int, *, u: float = 1e-7, **kw) -> Node:
    fields = {
        "id": i,
        "certificate_number": f"C{i}",
        "issuer": f"Lab {i}",
        "item": f"item {i}",
        "calibration_date": date(2024, 1, 1),
        "valid_until": date(2025, 12, 31),
        "status": "issued",
        "competent": True,
        "points": ((L[0], L[1], u),),
    }
    fields.update(kw)
    return Node(**fields)


def link(user: int, cert: int | None, *, u: float = 1e-6, level: str = "public", on=date(2025, 1, 1)) -> Link:
    return Link(user, f"standard of {cert}", level, cert, on, (L[0], L[1], u))


def primary(user: int, u: float = 1e-6) -> Link:
    return Link(user, "national primary", "national_primary", None, date(2025, 1, 1), (L[0], L[1], u))


def codes(chain) -> list[str]:
    return sorted(r.code for r in chain.reasons)


def test_a_chain_to_the_national_primary_standard_is_traceable():
    nodes = {1: node(1, u=1e-5), 2: node(2, u=1e-6), 3: node(3, u=1e-7)}
    chain = evaluate(1, nodes, [link(1, 2, u=1e-5), link(2, 3, u=1e-6), primary(3, u=1e-7)])
    assert chain.verdict == "traceable" and chain.reasons == ()
    assert dict(chain.levels) == {1: 0, 2: 1, 3: 2}
    data = chain.as_dict()
    assert data["root"] == "C1" and [x["to"] for x in data["links"]] == [2, 3, None]


def test_a_chain_to_a_cipm_mra_certificate_is_traceable():
    nodes = {1: node(1, u=1e-5), 2: node(2, mra_reference="KCDB CMC 12345", competent=False)}
    assert evaluate(1, nodes, [link(1, 2, u=1e-5)]).verdict == "traceable"


def test_a_link_expired_at_the_time_of_use():
    nodes = {1: node(1, u=1e-5), 2: node(2, valid_until=date(2024, 12, 31))}
    chain = evaluate(1, nodes, [link(1, 2, u=1e-5), primary(2)])
    assert chain.verdict == "broken" and codes(chain) == ["expired_link"]
    with translation.override("en"):
        assert "not valid on 2025-01-01" in chain.reasons[0].message
    with translation.override("zh-hans"):
        assert "在 2025-01-01 不在有效期内" in chain.reasons[0].message


def test_a_revoked_link():
    nodes = {1: node(1, u=1e-5), 2: node(2, status="revoked")}
    assert codes(evaluate(1, nodes, [link(1, 2, u=1e-5), primary(2)])) == ["expired_link"]


def test_missing_links():
    nodes = {1: node(1, u=1e-5), 2: node(2)}
    assert codes(evaluate(1, nodes, [link(1, None)])) == ["missing_link"]  # no certificate named
    assert codes(evaluate(1, nodes, [link(1, 2, u=1e-5)])) == ["missing_link"]  # 2 cites nothing
    assert codes(evaluate(1, {1: node(1)}, [link(1, 9)])) == ["missing_link"]  # not on record


def test_uncertainty_that_does_not_grow_downwards():
    nodes = {1: node(1, u=1e-7), 2: node(2, u=1e-6)}
    chain = evaluate(1, nodes, [link(1, 2, u=1e-7), primary(2)])
    assert codes(chain) == ["uncertainty_not_growing"]


def test_an_unaccredited_link():
    nodes = {1: node(1, u=1e-5), 2: node(2, competent=False)}
    chain = evaluate(1, nodes, [link(1, 2, u=1e-5), primary(2)])
    assert codes(chain) == ["unaccredited_link"] and chain.reasons[0].record == 2


def test_a_cycle():
    nodes = {1: node(1, u=1e-5), 2: node(2, u=1e-6), 3: node(3, u=1e-7)}
    chain = evaluate(1, nodes, [link(1, 2, u=1e-5), link(2, 3, u=1e-6), link(3, 2, u=1e-5)])
    assert "cycle" in codes(chain)
    with translation.override("en"):
        assert any(r.message == "cycle: 2 -> 3 -> 2" for r in chain.reasons)
    with translation.override("zh-hans"):
        assert any(r.message == "循环溯源：2 -> 3 -> 2" for r in chain.reasons)


def test_every_reason_is_listed_and_a_dag_is_not_a_cycle():
    # 1 uses 2 and 3, both use 4 (a diamond, not a cycle); 3 expired; 4 unaccredited
    nodes = {1: node(1, u=1e-4), 2: node(2, u=1e-5), 3: node(3, u=1e-5, valid_until=date(2024, 6, 1)),
             4: node(4, u=1e-6, competent=False)}  # fmt: skip
    links = [link(1, 2, u=1e-4), link(1, 3, u=1e-4), link(2, 4, u=1e-5), link(3, 4, u=1e-5), primary(4)]
    assert codes(evaluate(1, nodes, links)) == ["expired_link", "unaccredited_link"]
