"""The supervision REST API and web pages: the procedure through HTTP, errors as problem JSON,
scoping, the public lookup, and the pages in both languages."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from jiliang.registry import policy
from jiliang.supervision.fleet_import import import_fleet
from jiliang.supervision.models import Fleet, InspectionResult, Lot, Meter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet() -> Fleet:
    f = Fleet.objects.create(
        code="grid",
        name="Grid",
        owner=factories.institution(kind="enterprise"),
        category=factories.category("electricity_meter"),
        test_points=["Ib"],
        rule={"kind": "lq", "extension_years": 4, "limiting_quality": 5.0},
    )
    rows = "".join(f"M{i:04d},1P,5(60)A,Maker,DDZY,,2018,,\n" for i in range(150))
    rows += "".join(f"T{i:04d},3P,1.5(6)A,Maker,DTZY,,2018,,\n" for i in range(3))
    head = "serial_number,meter_type,ratings,manufacturer,model,batch,verification_year,installed,district\n"
    import_fleet(policy.SYSTEM, f, io.StringIO(head + rows))
    return f


def client_for(role: str, inst=None) -> Client:
    client = Client()
    client.force_login(factories.user_with_role(role, inst))
    return client


def test_procedure_through_the_api(fleet):
    staff = client_for("staff", fleet.owner)
    made = staff.post(
        "/api/supervision/fleets/grid/lots/", {"due_year": 2026}, content_type="application/json"
    )
    assert made.status_code == 201 and [x["size"] for x in made.json()] == [150, 3]
    r = staff.post(
        "/api/supervision/fleets/grid/lots/1/sample/",
        {"seed": 5, "started_on": "2026-02-01"},
        content_type="application/json",
    )
    assert r.status_code == 409 and "notified" in r.json()["detail"]
    staff.post(
        "/api/supervision/fleets/grid/lots/1/notify/",
        {"notified_on": "2026-01-10"},
        content_type="application/json",
    )
    drawn = staff.post(
        "/api/supervision/fleets/grid/lots/1/sample/",
        {"seed": 5, "started_on": "2026-02-01"},
        content_type="application/json",
    ).json()
    sample = [m["serial_number"] for m in drawn["draw"]["sample"]]
    assert len(sample) == drawn["plan"]["sample_size"]
    outsider = next(s for s in (f"M{i:04d}" for i in range(150)) if s not in sample)
    bad = [{"serial_number": outsider, "test_point": "Ib", "error_percent": 0.1, "mpe_percent": 2.0}]
    r = staff.post(
        "/api/supervision/fleets/grid/lots/1/results/", {"results": bad}, content_type="application/json"
    )
    assert r.status_code in (400, 422) and "results[0].serial_number" in r.content.decode()
    assert InspectionResult.objects.count() == 0
    good = [
        {"serial_number": s, "test_point": "Ib", "error_percent": 0.2, "mpe_percent": 2.0} for s in sample
    ]
    assert (
        staff.post(
            "/api/supervision/fleets/grid/lots/1/results/", {"results": good}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        staff.post(
            "/api/supervision/fleets/grid/lots/1/decide/",
            {"decided_on": "2026-05-01"},
            content_type="application/json",
        ).status_code
        == 403
    )
    regulator = client_for("regulator", factories.institution(kind="regulator", district=None))
    decided = regulator.post(
        "/api/supervision/fleets/grid/lots/1/decide/",
        {"decided_on": "2026-05-01"},
        content_type="application/json",
    ).json()
    assert (decided["outcome"], decided["extension_years"]) == ("extend", 4)
    public = Client().get("/api/supervision/meters/lookup/", {"serial_number": sample[0]}).json()
    assert public[0]["extension_years"] == 4 and public[0]["valid_until"] == "2030-12-31"
    fc = staff.get("/api/supervision/fleets/grid/forecast/", {"from": 2026, "to": 2030}).json()
    assert (
        fc["without_programme"][0] == 153 and fc["with_programme"][0] == 3 and fc["with_programme"][4] == 150
    )


def test_api_scoping_and_a_mixed_lot(fleet):
    other = client_for("staff")
    assert other.get("/api/supervision/fleets/").json() == []
    assert other.get("/api/supervision/fleets/grid/").status_code == 403
    staff = client_for("staff", fleet.owner)
    r = staff.post(
        "/api/supervision/fleets/grid/lots/",
        {"due_year": 2026, "serials": ["M0001", "T0001"]},
        content_type="application/json",
    )
    assert r.status_code in (400, 422) and "meters[1].meter_type" in r.content.decode()
    assert Lot.objects.count() == 0


def test_pages_in_both_languages(fleet):
    admin = Client()
    admin.force_login(factories.get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    admin.post("/api/supervision/fleets/grid/lots/", {"due_year": 2026}, content_type="application/json")
    for lang, word in (("en", "Meters falling due per year"), ("zh-hans", "每年到期")):
        page = admin.get("/supervision/fleets/grid/", HTTP_ACCEPT_LANGUAGE=lang)
        assert page.status_code == 200 and word in page.content.decode() and "<svg" in page.content.decode()
        assert admin.get("/supervision/fleets/grid/lots/1/", HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    r = admin.post("/supervision/fleets/grid/lots/1/notify/", {"on": "2026-01-02"})
    assert r.status_code == 302 and Lot.objects.get(number=1).status == "notified"
    serial = Meter.objects.first().serial_number
    page = Client().get("/supervision/meters/", {"serial_number": serial}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "2026-12-31" in page.content.decode()
    assert client_for("staff").get("/supervision/fleets/grid/").status_code == 403


def test_compulsory_and_risk_api_and_pages():
    from datetime import date

    owner = factories.institution(kind="enterprise")
    gas = factories.instrument(
        category=factories.category("combustible_gas_detector"),
        owner=owner,
        interval_months=12,
        last_verification=date(2025, 1, 1),
        next_due=date(2026, 1, 1),
    )
    staff = client_for("staff", owner)
    r = staff.post(
        "/api/supervision/filings/",
        {"instrument": gas.pk, "purpose": "safety", "filed_on": "2025-01-02"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["form"] == "periodic"
    assert staff.get("/api/supervision/due/", {"today": "2026-06-01"}).json()[0]["state"] == "overdue"
    assert staff.get("/api/supervision/summary/").status_code == 403
    public = Client().get(
        "/api/supervision/instruments/state/", {"serial_number": gas.serial_number, "today": "2026-06-01"}
    )
    assert public.json()[0]["state"] == "overdue"
    regulator = client_for("regulator", factories.institution(kind="regulator", district=None))
    assert regulator.get("/api/supervision/summary/", {"today": "2026-06-01"}).json()[0]["overdue"] == 1
    ranked = regulator.get("/api/supervision/risk/", {"today": "2026-06-01"}).json()
    assert ranked[0]["instrument"] == gas.pk and ranked[0]["band"] == "high"
    c = regulator.post(
        "/api/supervision/campaigns/",
        {"name": "Gas", "created_on": "2026-06-01", "size": 1, "seed": 9, "high_risk": 1},
        content_type="application/json",
    )
    assert c.status_code == 201 and c.json()["selected"] == [gas.pk]
    f = regulator.post(
        f"/api/supervision/campaigns/{c.json()['campaign']}/findings/",
        {
            "instrument": gas.pk,
            "found_on": "2026-06-02",
            "outcome": "nonconforming",
            "rectification_due": "2026-06-30",
            "months_since_verification": 17,
        },
        content_type="application/json",
    )
    assert f.status_code == 201
    up = regulator.post(
        f"/api/supervision/findings/{f.json()['finding']}/follow-up/",
        {"followed_up_on": "2026-07-01", "result": "rectified"},
        content_type="application/json",
    )
    assert up.json()["follow_up"] == "rectified"
    advice = regulator.get("/api/supervision/intervals/combustible_gas_detector/").json()
    assert advice["current_interval_months"] == 12
    for url in ("/supervision/compulsory/", "/supervision/compulsory/summary/", "/supervision/risk/"):
        for lang in ("en", "zh-hans"):
            assert regulator.get(url, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    page = Client().get("/supervision/meters/", {"serial_number": gas.serial_number})
    assert "combustible" in page.content.decode().lower() or "可燃" in page.content.decode()
