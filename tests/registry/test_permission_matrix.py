"""The permission matrix (issue 2, item 9): each role x each action x own / other institution,
through the REST API. "Own" is the actor's institution (for a regulator: a record in their
district); "other" is an institution in another district. Denied means 401, 403 or 404 (a record
the actor may not see is not found); allowed means a 2xx answer."""

from datetime import date
from itertools import count

import pytest
from rest_framework.test import APIClient

from jiliang.registry import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db
_n = count(1)
V, C, U, D = "view", "create", "update", "delete"
T, F = True, False

# role -> model -> action -> (own, other)
ASSET = {
    "public": {V: (F, F), C: (F, F), U: (F, F), D: (F, F)},
    "staff": {V: (T, F), C: (T, F), U: (T, F), D: (F, F)},
    "approver": {V: (T, F), C: (T, F), U: (T, F), D: (T, F)},
    "regulator": {V: (T, F), C: (F, F), U: (F, F), D: (F, F)},
    "city_regulator": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
    "admin": {V: (T, T), C: (T, T), U: (T, T), D: (T, T)},
}
PUBLIC_ASSET = {role: {**rules, V: (T, T)} for role, rules in ASSET.items()}
MATRIX = {
    "instrument": ASSET,
    "standard": PUBLIC_ASSET,
    "reference-material": PUBLIC_ASSET,
    "person": {
        **ASSET,
        "staff": {V: (T, F), C: (F, F), U: (F, F), D: (F, F)},
    },
    "institution": {
        "public": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "staff": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "approver": {V: (T, T), C: (F, F), U: (T, F), D: (F, F)},
        "regulator": {V: (T, T), C: (T, F), U: (T, F), D: (F, F)},
        "city_regulator": {V: (T, T), C: (T, T), U: (T, T), D: (F, F)},
        "admin": {V: (T, T), C: (T, T), U: (T, T), D: (T, T)},
    },
    "authorisation": {
        "public": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "staff": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "approver": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "regulator": {V: (T, T), C: (T, F), U: (T, F), D: (T, F)},
        "city_regulator": {V: (T, T), C: (T, T), U: (T, T), D: (T, T)},
        "admin": {V: (T, T), C: (T, T), U: (T, T), D: (T, T)},
    },
    # Specifications belong to no institution: "own" and "other" are the same record kind.
    "specification": {
        "public": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "staff": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "approver": {V: (T, T), C: (F, F), U: (F, F), D: (F, F)},
        "regulator": {V: (T, T), C: (T, T), U: (T, T), D: (F, F)},
        "city_regulator": {V: (T, T), C: (T, T), U: (T, T), D: (F, F)},
        "admin": {V: (T, T), C: (T, T), U: (T, T), D: (T, T)},
    },
}
URL = {"reference-material": "reference-materials", "person": "people"}


def _payload(kind, inst):
    n = next(_n)
    district = inst.district.pk if inst.district else None
    return {
        "instrument": {
            "category": f.category().pk,
            "manufacturer": "M",
            "model": "X",
            "serial_number": f"P{n}",
            "owner": inst.pk,
        },
        "standard": {
            "name": f"S{n}",
            "level": "working",
            "owner": inst.pk,
            "area": f.area().pk,
            "quantity": "length",
            "accuracy_class": "1",
        },
        "reference-material": {
            "number": f"GBW(E){900000 + n}",
            "name": "RM",
            "producer": inst.pk,
            "property": "pH",
            "certified_value": "4.0",
            "expanded_uncertainty": "0.01",
            "coverage_factor": "2",
            "unit": "1",
            "expiry": "2030-01-01",
        },
        "person": {"institution": inst.pk, "name": f"N{n}"},
        "institution": {
            "name": f"New {n}",
            "kind": "enterprise",
            "credit_code": f.credit_code(700_000 + n),
            "district": district,
        },
        "authorisation": {
            "institution": inst.pk,
            "activity": "calibration",
            "area": f.area().pk,
            "valid_from": "2025-01-01",
            "valid_until": "2027-01-01",
        },
        "specification": {"code": f"JJF(沪){n}-2025", "title": "T", "kind": "local_specification"},
    }[kind]


def _record(kind, inst, action):
    if kind == "instrument":
        return f.instrument(owner=inst, district=inst.district)
    if kind == "standard":
        return f.standard(owner=inst)
    if kind == "reference-material":
        return f.reference_material(producer=inst)
    if kind == "person":
        return f.person(institution=inst)
    if kind == "institution":  # the institution itself; a fresh one to delete (its people protect it)
        return f.institution(district=inst.district) if action == D else inst
    if kind == "authorisation":
        return m.Authorisation.objects.create(
            institution=inst,
            activity="verification",
            area=f.area(),
            valid_from=date(2025, 1, 1),
            valid_until=date(2026, 1, 1),
        )
    return m.TechnicalSpecification.objects.create(
        code=f"JJG(沪){next(_n)}-2020", title="T", kind="local_specification"
    )


CHANGE = {
    "instrument": "location",
    "standard": "quantity",
    "reference-material": "name",
    "person": "name",
    "institution": "address",
    "authorisation": "items",
    "specification": "title",
}


@pytest.fixture
def world(admin_user):
    own = f.institution(kind="enterprise", district=f.district("310104"))
    other = f.institution(kind="enterprise", district=f.district("310115"))
    district_regulator = f.institution(kind="regulator", district=f.district("310104"))
    city_regulator = f.institution(kind="regulator", district=None)
    users = {
        "public": None,
        "staff": f.user_with_role("staff", own),
        "approver": f.user_with_role("approver", own),
        "regulator": f.user_with_role("regulator", district_regulator),
        "city_regulator": f.user_with_role("regulator", city_regulator),
        "admin": admin_user,
    }
    return own, other, users


def _allowed(api, action, kind, inst):
    base = f"/api/registry/{URL.get(kind, kind + 's')}/"
    if action == C:
        response = api.post(base, _payload(kind, inst), format="json")
    else:
        record = _record(kind, inst, action)
        target = f"{base}{record.pk}/"
        if action == V:
            response = api.get(target)
        elif action == U:
            response = api.patch(target, {CHANGE[kind]: "changed"}, format="json")
        else:
            response = api.delete(target)
    assert response.status_code < 300 or response.status_code in {401, 403, 404}, (
        response.status_code,
        response.content,
    )
    return response.status_code < 300


@pytest.mark.parametrize("kind", list(MATRIX))
@pytest.mark.parametrize("role", list(ASSET))
def test_permission_matrix(world, role, kind):
    own, other, users = world
    api = APIClient()
    if users[role] is not None:
        api.force_authenticate(users[role])
    wrong = []
    for action, expected in MATRIX[kind][role].items():
        got = (_allowed(api, action, kind, own), _allowed(api, action, kind, other))
        if got != expected:
            wrong.append(f"{action}: expected own/other {expected}, got {got}")
    assert not wrong, f"{role} on {kind}: " + "; ".join(wrong)
