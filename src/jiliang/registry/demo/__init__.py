"""The demo region (issue 2 item 6): a synthetic metrology system the size of Shanghai's.

:func:`build_region` fills an empty registry with invented but realistic records: 2 national
primary standards, 171 public standards, about 1,600 other standards, 878 reference materials,
19 local specifications, 978 registered metrologists, 23 legal-metrology institutions,
150 calibration laboratories, 6 national professional stations and 100,000 instruments in service
across the 16 districts and the seeded categories (numbers at ``scale=1``; ``scale`` multiplies
the ones that are not fixed by the region's structure). The same ``seed`` and ``today`` give the
same region. Rows go in with ``bulk_create`` inside one transaction; one audit entry records the
build. It also creates one login per role (:data:`DEMO_LOGINS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from jiliang.platform import audit
from jiliang.registry import models as m
from jiliang.registry.choices import Role
from jiliang.registry.demo import assets, organisations
from jiliang.registry.demo.organisations import Region

DEMO_PASSWORD = "jiliang-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    institution: str


@dataclass(frozen=True)
class DemoRegion:
    """What the demo database holds, and whether it was built now or found already built."""

    counts: dict[str, int]
    logins: tuple[DemoLogin, ...]
    reused: bool


DEMO_USERS = (
    (Role.STAFF, "demo-staff"),
    (Role.APPROVER, "demo-approver"),
    (Role.REGULATOR, "demo-regulator"),
    (Role.ADMINISTRATOR, "demo-admin"),
)


def planned_rows(scale: float = 1.0, instruments: int | None = None) -> int:
    """About how many rows :func:`build_region` writes (the size of its progress bar)."""
    in_service = instruments if instruments is not None else max(1, round(100_000 * scale))
    others = 2 + 171 + 1600 + 878 + 978 + 150 + 2500
    return in_service + in_service // 50 + round(others * scale) + 60 + 16 + 300


def region_counts() -> dict[str, int]:
    """The figures the demo promises, read back from the database."""
    inst = m.Institution.objects
    std = m.MeasurementStandard.objects
    return {
        "national_primary_standards": std.filter(level="national_primary").count(),
        "public_standards": std.filter(level="public").count(),
        "other_standards": std.exclude(level__in=["national_primary", "public"]).count(),
        "reference_materials": m.ReferenceMaterial.objects.count(),
        "local_specifications": m.TechnicalSpecification.objects.filter(kind="local_specification").count(),
        "registered_metrologists": m.Person.objects.filter(metrologist_level__isnull=False).count(),
        "legal_metrology_institutions": inst.filter(kind="legal").count(),
        "calibration_laboratories": inst.filter(kind="calibration_lab").count(),
        "professional_stations": inst.filter(kind="professional_station").count(),
        "instruments_in_service": m.Instrument.objects.filter(status="in_service").count(),
    }


def existing_logins() -> tuple[DemoLogin, ...]:
    users = get_user_model().objects.filter(username__in=[u for _, u in DEMO_USERS])
    found = {u.username: u for u in users.select_related("person__institution")}
    return tuple(
        DemoLogin(role, name, DEMO_PASSWORD, found[name].person.institution.name)
        for role, name in DEMO_USERS
        if name in found
    )


def build_region(
    *,
    seed: int = 2024,
    scale: float = 1.0,
    today: date | None = None,
    instruments: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoRegion:
    """Build the demo region, or return the one already there (found by its demo logins)."""
    logins = existing_logins()
    if logins:
        return DemoRegion(region_counts(), logins, reused=True)
    region = Region(np.random.default_rng(seed), today or date.today(), scale, progress or (lambda n: None))
    in_service = instruments if instruments is not None else max(1, round(100_000 * scale))
    with transaction.atomic():
        organisations.load_catalogues(region)
        organisations.build_local_specifications(region)
        organisations.build_institutions(region)
        organisations.build_authorisations(region)
        organisations.build_metrologists(region)
        assets.build_standards(region)
        assets.build_reference_materials(region)
        assets.build_instruments(region, in_service)
        logins = _create_logins(region)
        counts = region_counts()
        audit.record(
            actor="system",
            actor_id=None,
            action="demo",
            object_type="registry.demo",
            object_id=str(seed),
            after={"seed": seed, "scale": scale, "today": region.today.isoformat(), "counts": counts},
        )
    with connection.cursor() as cursor:  # fresh statistics, so the planner uses the new indexes well
        cursor.execute("ANALYZE")
    return DemoRegion(counts, logins, reused=False)


def _create_logins(region: Region) -> tuple[DemoLogin, ...]:
    """One user per role: staff and approver of the city institute, regulators of the city."""
    assert region.institute is not None and region.regulator is not None
    homes = {
        Role.STAFF: region.institute,
        Role.APPROVER: region.institute,
        Role.REGULATOR: region.regulator,
        Role.ADMINISTRATOR: region.regulator,
    }
    users = get_user_model().objects
    names = organisations.chinese_names(region.rng, len(DEMO_USERS))
    logins = []
    for (role, username), name in zip(DEMO_USERS, names, strict=True):
        if role == Role.ADMINISTRATOR:
            user = users.create_superuser(username, password=DEMO_PASSWORD)
        else:
            user = users.create_user(username, password=DEMO_PASSWORD)
        m.Person.objects.create(institution=homes[role], name=name, user=user, role=role)
        logins.append(DemoLogin(role, username, DEMO_PASSWORD, homes[role].name))
    return tuple(logins)
