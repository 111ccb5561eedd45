"""The reasons a chain is broken read in the language of whoever is shown them (zh-hans and en):
every sentence of :mod:`jiliang.traceability.graph` has its Chinese, and a chain evaluated (or
kept in a cache) in one language is worded in the other when shown there: the page, the API and
``jiliang trace chain``."""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

import jiliang.traceability
from jiliang.calibration import services as record_services
from jiliang.cli.main import main
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import queries
from jiliang.traceability.graph import IMPORTED_DCC, Chain, DccEvidence, evaluate
from tests import factories
from tests.platform.crawl import CJK, TWO_ASCII_WORDS
from tests.traceability.ladders import ladder
from tests.traceability.test_graph import link, node, primary

PO = Path(jiliang.traceability.__path__[0]) / "locale/zh_Hans/LC_MESSAGES/django.po"


def _broken_chains() -> list[Chain]:
    """Chains that between them give every reason sentence of graph.py."""
    up = [link(1, 2, u=1e-5), primary(2)]
    return [
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, dcc=DccEvidence(7, False, "unsigned", "xsd: bad"))}, up),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, competent=False)}, up),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, source=IMPORTED_DCC)}, [link(1, 2, u=1e-5)]),
        evaluate(1, {1: node(1)}, []),
        evaluate(1, {1: node(1)}, [link(1, None)]),
        evaluate(1, {1: node(1)}, [link(1, 9)]),
        *(
            evaluate(1, {1: node(1, u=1e-5), 2: node(2, status=status)}, up)
            for status in ("revoked", "draft", "checked", "withdrawn")
        ),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, valid_until=None, source=IMPORTED_DCC)}, up),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, valid_until=None)}, up),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, valid_until=date(2024, 12, 31))}, up),
        evaluate(1, {1: node(1, u=1e-7), 2: node(2, u=1e-6)}, [link(1, 2, u=1e-7), primary(2)]),
        evaluate(1, {1: node(1, u=1e-5), 2: node(2, u=1e-6)}, [link(1, 2, u=1e-5), link(2, 1, u=1e-6)]),
    ]


def _graph_sentences() -> set[str]:
    """The message ids the traceability catalogue takes from graph.py."""
    return {
        entry.msgid
        for entry in polib.pofile(str(PO))
        if any(path.endswith("graph.py") for path, _line in entry.occurrences)
    }


def test_every_reason_sentence_reads_chinese_in_zh_hans_and_english_in_en():
    reasons = [r for chain in _broken_chains() for r in chain.reasons]
    assert {r.text for r in reasons} == _graph_sentences()  # every sentence is exercised
    for reason in reasons:
        values = dict(reason.params)
        with translation.override("en"):
            assert reason.message == reason.text % values
            assert not CJK.search(reason.message)
        with translation.override("zh-hans"):
            message = reason.message
        skeleton = message
        for value in sorted(values.values(), key=len, reverse=True):
            assert value in message, (reason.code, value, message)  # no value lost in translation
            skeleton = skeleton.replace(value, "")
        assert CJK.search(skeleton), message
        assert not TWO_ASCII_WORDS.search(skeleton.replace("CIPM MRA", "")), f"English left: {message}"


def test_a_chain_evaluated_in_one_language_is_worded_in_the_other_when_shown():
    broken = _broken_chains()[-3]  # the expired link
    with translation.override("zh-hans"):
        chain = evaluate(1, {n.id: n for n in broken.nodes}, broken.links)
        chinese = chain.as_dict()["reasons"][0]["message"]
    cache.set("test:chain", chain)  # pickled, as a shared cache keeps it
    kept = cache.get("test:chain")
    with translation.override("en"):
        assert kept.as_dict()["reasons"][0]["message"] == (
            "certificate C2 of standard of 2 was not valid on 2025-01-01 (2024-01-01 to 2024-12-31)"
        )
        english = pickle.loads(pickle.dumps(chain)).as_dict()
    assert chinese == "standard of 2 的证书 C2 在 2025-01-01 不在有效期内（2024-01-01 至 2024-12-31）"
    with translation.override("zh-hans"):
        assert kept.as_dict()["reasons"][0]["message"] == chinese
    assert english["reasons"][0] | {"message": chinese} == chain.as_dict()["reasons"][0] | {
        "message": chinese
    }
    cache.delete("test:chain")


@pytest.fixture
def revoked_ladder():
    """A ladder whose middle certificate was revoked after use: the chain is broken there."""
    lad = ladder(3)
    record_services.revoke_record(SYSTEM, lad.certificates[1], "reference drifted")
    return lad


def _expired(reasons: list[dict[str, str]]) -> str:
    return next(r["message"] for r in reasons if r["code"] == "expired_link")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"), [("en", "is revoked"), ("zh-hans", "已撤销")]
)  # fmt: skip
def test_jiliang_trace_chain_words_the_reasons_in_its_language(revoked_ladder, capsys, language, words):
    number = revoked_ladder.record.certificate_number
    assert main(["--language", language, "trace", "chain", number]) == 0
    reasons = json.loads(capsys.readouterr().out)["reasons"]
    assert set(reasons[0]) == {"code", "record", "message"}
    message = _expired(reasons)
    assert words in message and revoked_ladder.certificates[1].certificate_number in message
    assert bool(CJK.search(message)) == (language == "zh-hans")


@pytest.mark.django_db
def test_the_api_and_the_page_word_the_reasons_in_the_request_language(revoked_ladder):
    user = factories.get_user_model().objects.create_superuser("root", password="pw-for-tests")
    api = APIClient()
    api.force_authenticate(user)
    url = f"/api/traceability/chain/{revoked_ladder.record.pk}/"
    chain = queries.chain(revoked_ladder.record.pk)  # read once, shown in both languages below
    english = _expired(api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["reasons"])
    chinese = _expired(api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["reasons"])
    assert english.endswith("is revoked") and "已撤销" in chinese
    with translation.override("en"):
        assert _expired(chain.as_dict()["reasons"]) == english
    with translation.override("zh-hans"):
        assert _expired(chain.as_dict()["reasons"]) == chinese
    api.logout()
    assert api.login(username="root", password="pw-for-tests")
    page = f"/traceability/chain/{revoked_ladder.record.pk}/"
    api.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert english in api.get(page).content.decode()
    api.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert chinese in api.get(page).content.decode()
