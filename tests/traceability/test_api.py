"""REST API of records and traceability: the record workflow through HTTP, responses matching
the OpenAPI schema, the record list without N+1, chain and impact endpoints, problem JSON."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jiliang.registry.choices import Role
from tests import factories
from tests.calibration import builders as b
from tests.registry.openapi import Contract
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api():
    user = factories.get_user_model().objects.create_superuser("root", password="pw-for-tests")
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_record_workflow_over_http(admin_api, client):
    lad = ladder(1)
    at = b.lab()
    body = {
        "kind": "calibration", "certificate_number": "API-1", "institution": at.institution.pk,
        "instrument": factories.instrument().pk, "area": factories.area().pk, "performer": at.performer.pk,
        "checker": at.checker.pk, "calibration_date": "2025-03-01", "valid_until": "2026-02-28",
    }  # fmt: skip
    created = admin_api.post("/api/calibration/records/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    point = {k: str(v) for k, v in b.point().items()}
    point["usages"] = [{"standard": lad.standards[0].pk, "certificate": lad.certificates[0].pk}]
    added = admin_api.post(f"/api/calibration/records/{pk}/results/", point, format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["results"][0]["decision"] == "accept"
    assert admin_api.post(f"/api/calibration/records/{pk}/check/").status_code == 200
    issued = admin_api.post(f"/api/calibration/records/{pk}/issue/")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["status"] == "issued"
    Contract(client).check(
        "/api/calibration/records/{id}/", "get", admin_api.get(f"/api/calibration/records/{pk}/")
    )
    again = admin_api.post(f"/api/calibration/records/{pk}/results/", point, format="json")
    assert again.status_code == 409 and again["Content-Type"].startswith("application/problem+json")


def test_issue_refusals_are_problem_json_with_fields(admin_api):
    at = b.lab()
    rec = b.draft(at, factories.instrument())
    factories.models.Person.objects.filter(pk=at.performer.pk).update(
        registration_valid_until=date(2020, 1, 1)
    )
    from jiliang.calibration import services
    from jiliang.registry.policy import SYSTEM

    services.add_result(SYSTEM, rec, b.point(), [{"standard": b.primary()}])
    services.check_record(SYSTEM, rec)
    response = admin_api.post(f"/api/calibration/records/{rec.pk}/issue/")
    assert response.status_code in (400, 422)
    assert "performer" in response.content.decode()


def test_record_list_has_no_n_plus_1(admin_api):
    lad = ladder(1)
    admin_api.get("/api/calibration/records/")  # warm caches (content types, auth)
    query_counts = []
    for _ in range(2):
        b.issued(
            b.lab(),
            factories.instrument(),
            [{"standard": lad.standards[0], "certificate": lad.certificates[0]}],
        )
        with CaptureQueriesContext(connection) as ctx:
            assert admin_api.get("/api/calibration/records/").status_code == 200
        query_counts.append(len(ctx.captured_queries))
    assert query_counts[0] == query_counts[1]


def test_records_are_scoped_to_the_actor():
    lad = ladder(1)
    stranger = APIClient()
    stranger.force_authenticate(factories.user_with_role(Role.STAFF))
    assert stranger.get("/api/calibration/records/").json()["count"] == 0
    owner = APIClient()
    owner.force_authenticate(factories.user_with_role(Role.STAFF, lad.instrument.owner))
    assert owner.get("/api/calibration/records/").json()["count"] == 1
    assert owner.get(f"/api/traceability/chain/{lad.record.pk}/").json()["verdict"] == "traceable"
    assert stranger.get(f"/api/traceability/chain/{lad.record.pk}/").status_code == 403


def test_chain_and_impact_endpoints(admin_api):
    lad = ladder(2, measured="109.8")
    by_number = admin_api.get("/api/traceability/chain/", {"certificate": lad.record.certificate_number})
    assert by_number.json()["verdict"] == "traceable"
    by_instrument = admin_api.get("/api/traceability/chain/", {"instrument": lad.instrument.pk})
    assert by_instrument.json()["root"] == lad.record.certificate_number
    params = {"source": lad.standards[0].pk, "since": "2024-12-01", "error": "0.5", "unit": "µm"}
    report = admin_api.get("/api/traceability/impact/", params).json()
    assert (report["affected_results"], report["changed_decisions"]) == (2, 1)
    csv_response = admin_api.get("/api/traceability/impact/", {**params, "export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    opened = admin_api.post("/api/traceability/impact/", {**params, "description": "drift"}, format="json")
    assert opened.status_code == 201 and opened.json()["notifications"] >= 1
    bad = admin_api.get("/api/traceability/impact/", {"source": lad.standards[0].pk, "since": "nope"})
    assert bad.status_code in (400, 422) and "since" in bad.content.decode()
