"""The record page reads in its language (QA crawl, 2026-11-27): decision rules and conformity
statements by their labels (jiliang.platform.labels, as on the impact report), and a
point of dimension one without a unit "1" after its value ("1", not "1 1")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from jiliang.calibration import services
from jiliang.platform.labels import decision_rule, statement
from jiliang.registry.policy import SYSTEM
from jiliang.units import display_unit
from tests import factories
from tests.calibration import builders as b

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    return client


def _page(client, record, language: str) -> str:
    response = client.get(f"/calibration/records/{record.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _relative_point(**kw):
    """A relative deviation (unit one), as the demo history records it."""
    fields = {"quantity": "相对偏差", "unit": "1", "nominal_value": D("1"), "measured_value": D("1.000002"),
              "expanded_uncertainty": D("0.000004"), "coverage_factor": D("2"),
              "tolerance_lower": D("-0.00001"), "tolerance_upper": D("0.00001")}  # fmt: skip
    return b.point(**{**fields, **kw})


@pytest.mark.parametrize(
    ("language", "rule", "pass_", "conditional"),
    [("en", "Non-binary: pass / conditional pass / conditional fail / fail, r = 1.5", ">pass</span>",
      ">conditional pass</span>"),
     ("zh-hans", "非二元：合格 / 有条件合格 / 有条件不合格 / 不合格，r = 1.5", ">合格</span>", ">有条件合格</span>")],
)  # fmt: skip
def test_rule_and_statements_by_their_labels_and_no_unit_one(admin, language, rule, pass_, conditional):
    at = b.lab()
    record = b.draft(at, factories.instrument(), decision_rule="nonbinary:1.5")
    use = [{"standard": b.primary()}]
    services.add_result(SYSTEM, record, _relative_point(), use)  # well inside: pass
    services.add_result(SYSTEM, record, _relative_point(measured_value=D("1.000008")), use)  # within w of TU
    assert [r.decision for r in record.results.order_by("position")] == ["pass", "conditional pass"]
    page = _page(admin, record, language)
    assert f"<dd>{rule}</dd>" in page and "nonbinary:1.5" not in page
    assert pass_ in page and conditional in page
    assert '<td class="num">1 </td>' in page and "1 1<" not in page


@pytest.mark.parametrize("text", ["1", " 1 ", "", "one", "dimensionless"])
def test_the_unit_one_is_not_written(text):
    assert display_unit(text) == ""


@pytest.mark.parametrize("text", ["%", "ppm", "µm", "1/K", "m/s^2"])
def test_other_units_are_written_as_given(text):
    assert display_unit(text) == text


def test_labels_of_rules_and_statements_fall_back_to_the_code():
    with translation.override("en"):
        assert decision_rule("simple") == "Simple acceptance (w = 0)"
        assert decision_rule("guarded:2") == "Guarded acceptance (w = r·U), r = 2"
        assert decision_rule("guarded-rejection:0.5") == "Guarded rejection (w = r·U), r = 0.5"
        assert statement("reject") == "reject"
    with translation.override("zh-hans"):
        assert decision_rule("guarded:2") == "保护接受（w = r·U），r = 2" and statement("reject") == "拒绝"
    assert decision_rule("not a rule") == "not a rule"  # shown as stored, never hidden
    assert statement("no such code") == "no such code" and statement("") == "" and statement(None) == ""
