"""Where an ISO 2859-2 plan comes from reads in the page's language (QA crawl, 2026-11-27:
/sampling/lq/?lot_size=10000&lq=0.5 showed the core's English note in zh-hans). The core keeps the
basis as data (``basis``, ``consumer_risk``, ``table_version``, ``unused_table_cell``) with its
English ``source``; the page words it, the API and the CLI keep both."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jiliang.cli.main import main
from jiliang.sampling import lq_plan, lq_report
from jiliang.sampling.iso2859_2 import COMPUTED_SOURCE, table_a

pytestmark = pytest.mark.django_db
CASES = [  # (query, English phrase, Chinese phrase)
    ({"lot_size": 10000, "lq": "0.5"}, "consumer&#x27;s risk of 10 %", "使用方风险 10 % 的最小样本量 n"),
    ({"lot_size": 2000, "lq": "5.0"}, "ISO 2859-2:1985 Table A (procedure A), data version", "ISO 2859-2:1985 表A（模式A），数据版本"),
    ({"lot_size": 70, "lq": "2.0"}, "(n = 50, Ac = 0) is not used", "（n = 50，Ac = 0）：对该行的部分批量"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "en", "zh"), CASES)
def test_lq_page_says_where_the_plan_comes_from_in_its_language(client: Client, query, en, zh):
    english = client.get("/sampling/lq/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/sampling/lq/", query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert en in english and zh in chinese
    assert "smallest n with hypergeometric" not in chinese and "table: ISO 2859-2" not in chinese
    assert "is not used" not in chinese and "procedure A principle" not in chinese


def test_core_basis_is_data_and_source_keeps_its_english_words():
    computed = lq_plan(10000, 0.5)
    assert (computed.basis, computed.consumer_risk, computed.table_version, computed.unused_table_cell) == (
        "computed", 0.10, None, None)  # fmt: skip
    assert computed.source == COMPUTED_SOURCE
    table = lq_plan(2000, 5.0)
    assert table.basis == "table" and table.table_version == table_a().version
    assert table.source == f"table: ISO 2859-2:1985 Table A (procedure A), data version {table_a().version}"
    refused = lq_plan(70, 2.0)
    assert refused.unused_table_cell == (50, 0) and refused.source.endswith(COMPUTED_SOURCE)
    assert refused.source.startswith("the transcribed Table A cell (n = 50, Ac = 0) is not used")


def test_api_and_cli_give_the_words_and_the_data(client: Client, capsys):
    api = client.get(
        "/api/sampling/lq-plan", {"lot_size": 70, "lq": 2.0}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    assert api == json.loads(json.dumps(lq_report(lq_plan(70, 2.0))))
    assert api["unused_table_cell"] == {"sample_size": 50, "acceptance_number": 0}
    assert api["consumer_risk"] == 0.10 and api["source"].startswith("the transcribed Table A cell")
    assert main(["sampling", "lq-plan", "--lot-size", "70", "--lq", "2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == api
    assert main(["sampling", "lq-plan", "--lot-size", "2000", "--lq", "5"]) == 0
    text = capsys.readouterr().out
    assert "source: table: ISO 2859-2:1985 Table A" in text and "None" not in text
