"""Chains fetched from the database: verdicts and a fixed number of queries at any depth."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiliang.calibration import services as record_services
from jiliang.registry.models import Authorisation
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import queries, services
from tests import factories
from tests.calibration import builders as b
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db


def test_a_ladder_is_traceable_to_the_national_primary_standard():
    lad = ladder(3)
    chain = services.chain_of_record(SYSTEM, lad.record)
    data = chain.as_dict()
    assert data["verdict"] == "traceable", data["reasons"]
    assert [n["certificate_number"] for n in data["nodes"]] == [lad.record.certificate_number] + [
        c.certificate_number for c in reversed(lad.certificates)
    ]
    assert data["links"][-1]["standard_level"] == "national_primary"
    assert {link["issuer"] for link in data["links"] if link["to"]} >= {lad.certificates[0].institution.name}


@pytest.mark.parametrize("depth", [2, 6])
def test_the_chain_takes_five_queries_at_any_depth(depth):
    lad = ladder(depth)
    with CaptureQueriesContext(connection) as ctx:
        chain = queries.chain(lad.record.pk)
    assert len(chain.nodes) == depth + 1
    assert len(ctx.captured_queries) == 5  # records, points, links, imported DCCs, grants


def test_a_broken_ladder_names_the_reasons():
    lad = ladder(3)
    # the middle certificate is revoked after use, and its lab loses its authorisation
    record_services.revoke_record(SYSTEM, lad.certificates[1], "reference drifted")
    Authorisation.objects.filter(institution=lad.certificates[1].institution).delete()
    codes = sorted({r.code for r in queries.chain(lad.record.pk).reasons})
    assert codes == ["expired_link", "unaccredited_link"]


def test_a_cycle_in_the_database_ends_the_query():
    at = b.lab()
    sa, sb = b.examined_standard(), b.examined_standard()
    cert_a, cert_b = b.draft(at, sa), b.draft(at, sb)  # drafts may still be corrected, so may loop
    record_services.add_result(SYSTEM, cert_a, b.point(), [{"standard": sb, "certificate": cert_b}])
    record_services.add_result(SYSTEM, cert_b, b.point(), [{"standard": sa, "certificate": cert_a}])
    top = b.draft(at, factories.instrument())
    record_services.add_result(SYSTEM, top, b.point(), [{"standard": sa, "certificate": cert_a}])
    chain = queries.chain(top.pk)
    assert "cycle" in {r.code for r in chain.reasons}
    assert {n.id for n in chain.nodes} == {top.pk, cert_a.pk, cert_b.pk}


def test_find_record_by_number():
    lad = ladder(1)
    assert services.find_record(lad.record.certificate_number) == lad.record
    with pytest.raises(services.UnknownCertificate):
        services.find_record("NOPE")
    assert services.latest_record_of_instrument(lad.instrument.pk) == lad.record
    assert lad.record.calibration_date == date(2025, 3, 1)
