"""The registry's REST API: responses match the generated OpenAPI schema, lists are filtered,
searched and paginated without N+1 queries, writes go through the services, errors are RFC 9457."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jiliang.platform.models import AuditEntry
from jiliang.registry import models as m
from tests import factories as f
from tests.registry.openapi import Contract

pytestmark = pytest.mark.django_db
BASE = "/api/registry"


@pytest.fixture
def contract(client):
    return Contract(client)


def _client_for(user):
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


@pytest.fixture
def region():
    owner = f.institution(kind="enterprise")
    lab = f.institution(kind="legal", cnas_number="CNAS L0042", accreditation_valid_until=date(2029, 1, 1))
    for i in range(3):
        f.instrument(owner=owner, serial_number=f"W{i}")
        f.standard(owner=lab)
        f.reference_material(producer=lab)
    staff = f.user_with_role("staff", owner)
    return {"owner": owner, "lab": lab, "staff": staff}


LISTS = [
    ("/api/registry/areas/", None),
    ("/api/registry/districts/", None),
    ("/api/registry/specifications/", None),
    ("/api/registry/categories/", None),
    ("/api/registry/institutions/", None),
    ("/api/registry/authorisations/", None),
    ("/api/registry/people/", "admin"),
    ("/api/registry/standards/", None),
    ("/api/registry/reference-materials/", None),
    ("/api/registry/instruments/", "admin"),
]


@pytest.mark.parametrize(("path", "who"), LISTS)
def test_list_responses_match_the_schema(region, contract, admin_user, path, who):
    api = APIClient()
    if who:
        api.force_authenticate(admin_user)
    response = api.get(path)
    assert response.status_code == 200
    contract.check(path, "get", response)
    detail_path = path + "{id}/"
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    if rows:
        contract.check(detail_path, "get", api.get(f"{path}{rows[0]['id']}/"))


@pytest.mark.parametrize(
    ("path", "who"),
    [
        p
        for p in LISTS
        if p[0].split("/")[3] in {"institutions", "people", "standards", "reference-materials", "instruments"}
    ],
)
def test_list_endpoints_have_no_n_plus_one(region, admin_user, path, who):
    api = APIClient()
    api.force_authenticate(admin_user)
    api.get(path)  # warm caches that are filled once per process
    with CaptureQueriesContext(connection) as few:
        api.get(path)
    lab = region["lab"]
    for i in range(10):
        f.instrument(owner=region["owner"], serial_number=f"X{i}")
        f.standard(owner=lab)
        f.reference_material(producer=lab)
        f.person(institution=lab)
        f.institution()
    with CaptureQueriesContext(connection) as many:
        api.get(path)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_create_update_delete_through_the_api_are_audited(region, contract):
    api = _client_for(region["staff"])
    data = {
        "category": f.category("taximeter").pk,
        "manufacturer": "Acme",
        "model": "T-2",
        "serial_number": "TX-9",
        "owner": region["owner"].pk,
        "interval_months": 12,
        "last_verification": "2025-01-02",
        "next_due": "2026-01-02",
    }
    created = api.post(f"{BASE}/instruments/", data, format="json")
    assert created.status_code == 201, created.json()
    contract.check("/api/registry/instruments/", "post", created)
    pk = created.json()["id"]
    patched = api.patch(f"{BASE}/instruments/{pk}/", {"status": "out_of_service"}, format="json")
    assert patched.status_code == 200 and patched.json()["status"] == "out_of_service"
    contract.check("/api/registry/instruments/{id}/", "patch", patched)
    assert api.delete(f"{BASE}/instruments/{pk}/").status_code == 403  # staff may not delete
    actions = list(AuditEntry.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert actions == ["create", "update"]


def test_invalid_input_is_problem_json_naming_fields(region):
    api = _client_for(region["staff"])
    bad = {
        "category": f.category("taximeter").pk,
        "manufacturer": "Acme",
        "model": "T-2",
        "serial_number": "TX-9",
        "owner": region["owner"].pk,
        "last_verification": "2025-01-02",
        "next_due": "2024-01-02",
    }
    response = api.post(f"{BASE}/instruments/", bad, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "instrument.next_due"
    wrong_type = api.post(
        f"{BASE}/instruments/", {**bad, "interval_months": "often"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert {"field": "interval_months", "reason": "A valid integer is required."} in wrong_type.json()[
        "errors"
    ]
    credit = api.patch(f"{BASE}/institutions/{region['owner'].pk}/", {"credit_code": "X"}, format="json")
    assert credit.status_code == 403  # staff may not edit the institution record itself


def test_filter_search_and_pagination(region, admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    assert api.get(f"{BASE}/instruments/?serial_number=W1").json()["count"] == 1
    assert api.get(f"{BASE}/instruments/?search=W2").json()["count"] == 1
    code = f.category().code
    assert api.get(f"{BASE}/instruments/?category__code={code}").json()["count"] == 3
    assert api.get(f"{BASE}/instruments/?next_due__lte=2029-12-31").json()["count"] == 0
    for _i in range(50):
        f.institution()
    page = api.get(f"{BASE}/institutions/?page=2").json()
    assert page["count"] == m.Institution.objects.count() and len(page["results"]) == page["count"] - 50
    assert api.get(f"{BASE}/institutions/?kind=legal").json()["count"] == 1
    assert api.get(f"{BASE}/categories/?compulsory_verification=true").json()["count"] == 14


def test_public_lookup_by_serial_number(region, contract, client):
    response = client.get(f"{BASE}/lookup/?serial_number=W0")
    assert response.status_code == 200
    contract.check("/api/registry/lookup/", "get", response)
    [row] = response.json()
    assert row["serial_number"] == "W0" and row["next_due"] == "2030-01-10"
    assert "owner" not in row
    missing = client.get(f"{BASE}/lookup/")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "serial_number"


def test_the_public_cannot_list_instruments_or_people(region, client):
    assert client.get(f"{BASE}/instruments/").json()["count"] == 0
    assert client.get(f"{BASE}/people/").json()["count"] == 0
    assert client.post(f"{BASE}/instruments/", {}).status_code in {401, 403}


def test_token_endpoint_and_session_csrf(region):
    user = region["staff"]
    response = APIClient().post("/api/token/", {"username": user.username, "password": "pw-for-tests"})
    assert response.status_code == 200 and response.json()["token"]
    session = APIClient(enforce_csrf_checks=True)
    session.login(username=user.username, password="pw-for-tests")
    refused = session.patch(f"{BASE}/instruments/{m.Instrument.objects.first().pk}/", {"status": "scrapped"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
