"""The conformity statement of a DCC reads in each of its languages (review, 2026-11-27): the
decision rule and each point's statement by their labels (jiliang.platform.labels), never the
stored codes ("判定规则：simple；#1: accept"), and the DCC still validates (DCC 3.3.0 schema)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiliang import dcc
from jiliang.calibration import certificates
from jiliang.dcc.safexml import parse_xml
from jiliang.registry.policy import SYSTEM
from tests import factories
from tests.calibration import builders as b

D = Decimal
NS = {"dcc": "https://ptb.de/dcc"}
pytestmark = pytest.mark.django_db


def _conformity(record) -> dict[str, str]:
    """The signed DCC's conformity declaration, by language (read from the XML itself)."""
    data = bytes(certificates.sign(SYSTEM, record).signed_xml)
    report = dcc.validate(data)
    assert report.valid, report.findings
    statements = (
        parse_xml(data)
        .getroot()
        .xpath(
            "//dcc:statement[@refType='basic_conformity']/dcc:declaration/dcc:content",
            namespaces=NS,
        )
    )
    return {c.get("lang"): c.text for c in statements}


def _record(key_material, rule: str, points):
    record = b.issued(
        b.lab(), factories.instrument(), [{"standard": b.primary()}], points, decision_rule=rule
    )
    from jiliang.cli import keystore

    keystore.add(certificates.key_name(record), key_material, new=True)
    return record


def test_simple_rule_and_statements_in_both_languages(keys_dir, key_material):
    record = _record(key_material, "simple", [b.point(), b.point(measured_value=D("11.2"))])
    assert [r.decision for r in record.results.order_by("position")] == ["accept", "reject"]
    assert _conformity(record) == {
        "zh": "判定规则：简单接受（w = 0）；#1: 接受；#2: 拒绝",
        "en": "Decision rule: Simple acceptance (w = 0); #1: accept; #2: reject",
    }


def test_nonbinary_rule_with_its_factor_and_statements_in_both_languages(keys_dir, key_material):
    # U = 0.5, w = 1.5 U = 0.75 inside the tolerance ±1: an error of 0.2 passes, 0.5 lies within w of TU
    record = _record(key_material, "nonbinary:1.5", [b.point(), b.point(measured_value=D("10.5"))])
    assert [r.decision for r in record.results.order_by("position")] == ["pass", "conditional pass"]
    assert _conformity(record) == {
        "zh": "判定规则：非二元：合格 / 有条件合格 / 有条件不合格 / 不合格，r = 1.5；#1: 合格；#2: 有条件合格",
        "en": "Decision rule: Non-binary: pass / conditional pass / conditional fail / fail, r = 1.5; "
        "#1: pass; #2: conditional pass",
    }


def test_a_record_without_statements_says_so(keys_dir, key_material):
    record = _record(key_material, "simple", [b.point(tolerance_lower=None, tolerance_upper=None)])
    assert _conformity(record) == {
        "zh": "判定规则：简单接受（w = 0）；-",
        "en": "Decision rule: Simple acceptance (w = 0); -",
    }
