"""A lot's page words its sampling plan's basis in the page's language (review, 2026-11-27): from the
plan's data kept with the lot (``basis_data``) for each rule; a plan stored before the data was kept
shows its stored English text, marked as English, in either language."""

from __future__ import annotations

import html
import io

import pytest
from django.test import Client

from jiliang.registry import policy
from jiliang.sampling.iso2859_2 import COMPUTED_SOURCE
from jiliang.supervision.fleet_import import import_fleet
from jiliang.supervision.models import Fleet, Lot
from tests import factories

pytestmark = pytest.mark.django_db

LQ = {
    "en": "Smallest n whose hypergeometric probability of accepting a lot at the LQ is at most the "
    "consumer's risk of 10 % (the principle of ISO 2859-2 procedure A, not its printed Table A)",
    "zh-hans": "在 LQ 处超几何接收概率不超过使用方风险 10 % 的最小样本量 n（ISO 2859-2 模式A 的原理，而非其印刷的表A）",
}
CONFORMITY = {
    "en": "At least 95 % of the lot conforms, shown at 95 % confidence; hypergeometric model (the finite lot)",
    "zh-hans": "以 95 % 的置信度证明批中至少 95 % 合格；超几何模型（有限批）",
}
VARIABLES = {
    "en": "ISO 3951-1 s-method, designed so that a lot with 1 % nonconforming is accepted with a probability "
    "of at least 95 % and a lot with 5 % nonconforming with a probability of at most 10 %",
    "zh-hans": "ISO 3951-1 s 法，设计为：不合格品率 1 % 的批以不低于 95 % 的概率接收，"
    "不合格品率 5 % 的批以不高于 10 % 的概率接收",
}
RULES = {
    "lq": ({"kind": "lq", "extension_years": 4, "limiting_quality": 5.0}, LQ),
    "conformity": ({"kind": "conformity", "extension_years": 5}, CONFORMITY),
    "variables": (
        {"kind": "variables", "producer_quality": 0.01, "consumer_quality": 0.05, "producer_risk": 0.05,
         "consumer_risk": 0.10, "test_point": "Ib"},
        VARIABLES,
    ),
}  # fmt: skip


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(factories.get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    return client


def _drawn_lot(admin: Client, rule: dict) -> Lot:
    """A lot of 150 meters of a fleet under ``rule``, notified and sampled (its plan fixed)."""
    f = Fleet.objects.create(
        code="grid",
        name="Grid",
        owner=factories.institution(kind="enterprise"),
        category=factories.category("electricity_meter"),
        test_points=["Ib"],
        rule=rule,
    )
    rows = "".join(f"M{i:04d},1P,5(60)A,Maker,DDZY,,2018,,\n" for i in range(150))
    head = "serial_number,meter_type,ratings,manufacturer,model,batch,verification_year,installed,district\n"
    import_fleet(policy.SYSTEM, f, io.StringIO(head + rows))
    api = "/api/supervision/fleets/grid/lots/"
    assert admin.post(api, {"due_year": 2026}, content_type="application/json").status_code == 201
    admin.post(f"{api}1/notify/", {"notified_on": "2026-01-10"}, content_type="application/json")
    r = admin.post(
        f"{api}1/sample/", {"seed": 5, "started_on": "2026-02-01"}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return Lot.objects.get(fleet=f, number=1)


def _page(admin: Client, language: str) -> str:
    r = admin.get("/supervision/fleets/grid/lots/1/", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200
    return html.unescape(r.content.decode())


@pytest.mark.parametrize("kind", sorted(RULES))
def test_the_plan_basis_reads_in_the_page_language(admin, kind):
    rule, words = RULES[kind]
    lot = _drawn_lot(admin, rule)
    assert lot.plan["kind"] == kind and lot.plan["basis_data"]
    for language, text in words.items():
        page = _page(admin, language)
        assert f"({text})</p>" in page, language
        assert lot.plan["basis"] not in page  # the English text of the CLI and the API
    # the API keeps the English text and adds the data
    api = admin.get("/api/supervision/fleets/grid/lots/1/").json()["plan"]
    assert api["basis"] == lot.plan["basis"] and api["basis_data"] == lot.plan["basis_data"]


def test_the_lq_plan_keeps_its_basis_as_data(admin):
    lot = _drawn_lot(admin, RULES["lq"][0])
    assert lot.plan["basis"] == COMPUTED_SOURCE
    assert lot.plan["basis_data"] == {
        "basis": "computed",
        "consumer_risk": 0.10,
        "table_version": None,
        "unused_table_cell": None,
    }


def test_a_plan_stored_before_shows_its_english_text_marked_english(admin):
    lot = _drawn_lot(admin, RULES["lq"][0])
    old = {key: value for key, value in lot.plan.items() if key != "basis_data"}
    Lot.objects.filter(pk=lot.pk).update(plan=old)  # as lots stored before 2026-11-27 are
    for language in ("en", "zh-hans"):
        page = _page(admin, language)
        assert f'(<span lang="en">{COMPUTED_SOURCE}</span>)</p>' in page, language
        assert LQ[language] not in page
