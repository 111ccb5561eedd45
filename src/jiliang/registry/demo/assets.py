"""Demo region, second half: measurement standards, reference materials and instruments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np

from jiliang.registry import models as m
from jiliang.registry.choices import InstrumentStatus, StandardLevel, StandardStatus, VerificationForm
from jiliang.registry.demo import names
from jiliang.registry.demo.organisations import BATCH, Region

_ACCURACY = {"electricity_meter": "2级", "water_meter_dn15_25": "2级", "water_meter_dn32_50": "2级",
             "gas_meter_g16": "1.5级", "non_automatic_scale": "Ⅲ级", "pressure_gauge": "1.6级",
             "fuel_dispenser": "0.3级", "sound_level_meter": "1级", "caliper": "0.02 mm"}  # fmt: skip


def _capability(text: str) -> dict[str, object]:
    """'U=0.05 µm' -> U with k=2 and its unit; 'class X' -> accuracy class; 'MPE ...' -> MPE."""
    if text.startswith("U="):
        value, _, unit = text[2:].partition(" ")
        return {
            "expanded_uncertainty": Decimal(value),
            "coverage_factor": Decimal(2),
            "uncertainty_unit": unit,
        }
    if text.startswith("class "):
        return {"accuracy_class": text[6:]}
    return {"mpe": text[4:]}


def build_standards(region: Region) -> None:
    """2 national primary standards, 171 public standards and about 1,600 others."""
    assert region.institute is not None
    plan = [(StandardLevel.NATIONAL_PRIMARY, [region.institute])] * 2
    plan += [(StandardLevel.PUBLIC, [region.institute] * 16 + region.legal)] * region.count(171)
    owners_other = region.labs * 4 + region.stations * 6 + region.centres * 6 + region.enterprises[:200]
    for _ in range(region.count(1600)):
        level = StandardLevel.HIGHEST if region.rng.random() < 0.4 else StandardLevel.WORKING
        plan.append((level, owners_other))
    areas = list(names.STANDARD_DEVICES)
    objs = []
    for serial, (level, owners) in enumerate(plan, start=1):
        area = areas[int(region.rng.integers(0, len(areas)))]
        devices = names.STANDARD_DEVICES[area]
        device, quantity, span, capability = devices[int(region.rng.integers(0, len(devices)))]
        issued = region.days(-6 * 365, -10)
        kind = {"national_primary": "国基", "public": "沪社量标"}.get(level, "沪企量标")
        objs.append(
            m.MeasurementStandard(
                name=f"{device}（{serial:04d}）"
                if level != StandardLevel.NATIONAL_PRIMARY
                else f"{device}国家基准",
                level=level,
                owner=region.pick(owners, 1)[0],
                area=region.areas[area],
                quantity=quantity,
                measuring_range=span,
                certificate_number=f"[{issued.year}]{kind}证字第{serial:04d}号",
                certificate_valid_until=issued + timedelta(days=4 * 365),
                status=str(
                    region.rng.choice(
                        [StandardStatus.IN_SERVICE, StandardStatus.SUSPENDED, StandardStatus.RETIRED],
                        p=[0.95, 0.03, 0.02],
                    )
                ),
                **_capability(capability),
            )
        )
    region.progress(len(m.MeasurementStandard.objects.bulk_create(objs, batch_size=BATCH)))


def build_reference_materials(region: Region) -> None:
    """878 certified reference materials: about one in seven primary (GBW), the rest GBW(E)."""
    assert region.institute is not None
    producers = [region.institute] * 10 + region.centres * 3 + region.labs[:20]
    chemistry = region.areas["physical_chemistry"]
    numbers = region.rng.permutation(90000)[: region.count(878)]
    objs = []
    for n in numbers:
        name, prop, unit, value, rel_u = names.REFERENCE_MATERIALS[int(region.rng.integers(0, 12))]
        primary = region.rng.random() < 0.15
        certified = Decimal(str(round(value * (1 + region.rng.normal(0, 0.03)), 4)))
        objs.append(
            m.ReferenceMaterial(
                number=f"GBW {10000 + int(n) % 90000:05d}" if primary else f"GBW(E){100000 + int(n):06d}",
                name=name,
                producer=region.pick(producers, 1)[0],
                area=chemistry,
                property=prop,
                certified_value=certified,
                expanded_uncertainty=Decimal(str(round(float(certified) * rel_u, 6) or 0.0001)),
                coverage_factor=Decimal(2),
                unit=unit,
                expiry=region.days(-120, 5 * 365),
            )
        )
    region.progress(len(m.ReferenceMaterial.objects.bulk_create(objs, batch_size=BATCH)))


def _months_before(today: np.datetime64, back: np.ndarray, day: np.ndarray) -> np.ndarray:
    return (today.astype("datetime64[M]") - back).astype("datetime64[D]") + (day - 1)


def build_instruments(region: Region, in_service: int) -> None:
    """``in_service`` instruments in service plus 2 % out of service or scrapped, spread over the
    districts by population and the categories by weight; verification dates follow each
    category's form (periodic: interval; limited life: rotation date; scrap when inaccurate: none)."""
    rng = region.rng
    total = in_service + in_service // 50
    codes = list(names.CATEGORY_WEIGHTS)
    weights = np.array([names.CATEGORY_WEIGHTS[c] for c in codes])
    cat_idx = rng.choice(len(codes), total, p=weights / weights.sum())
    dist_w = np.array([names.DISTRICT_WEIGHTS[d.code] for d in region.districts])
    dist_idx = rng.choice(len(region.districts), total, p=dist_w / dist_w.sum())
    owners_by_district = [
        [e.pk for e in region.enterprises if e.district_id == d.pk] for d in region.districts
    ]
    owner_pick = rng.random(total)
    maker_pick = rng.random(total)
    day = rng.integers(1, 29, total)
    span = np.array([_span(region.categories[c]) for c in codes])[cat_idx]
    back = np.floor(rng.random(total) * span[:, 1]).astype(int)
    today = np.datetime64(region.today)
    # This month's draws past today's day of the month would verify in the future: take last month.
    back = np.where(_months_before(today, back, day) > today, back + 1, back)
    last = _months_before(today, back, day)
    due = _months_before(today, back - span[:, 0].astype(int), day)
    due = np.where(span[:, 0] > 0, due, np.datetime64("NaT"))
    last_dates, due_dates = last.astype(object), due.astype(object)
    status = np.where(np.arange(total) < in_service, 0, rng.integers(1, 3, total))
    statuses = [InstrumentStatus.IN_SERVICE, InstrumentStatus.OUT_OF_SERVICE, InstrumentStatus.SCRAPPED]
    for start in range(0, total, BATCH * 5):
        batch = []
        for i in range(start, min(total, start + BATCH * 5)):
            code = codes[cat_idx[i]]
            cat = region.categories[code]
            makers = names.MAKERS[code]
            maker, model = makers[int(maker_pick[i] * len(makers))]
            owners = owners_by_district[dist_idx[i]]
            district = region.districts[dist_idx[i]]
            batch.append(
                m.Instrument(
                    category_id=cat.pk,
                    manufacturer=maker,
                    model=model,
                    serial_number=f"{last_dates[i].year % 100:02d}{i + 1:08d}",
                    owner_id=owners[int(owner_pick[i] * len(owners))],
                    district_id=district.pk,
                    location=f"{district.name_zh}{names.ROADS[i % len(names.ROADS)]}{i % 997 + 1}号",
                    accuracy_class=_ACCURACY.get(code, ""),
                    status=statuses[status[i]],
                    interval_months=cat.default_interval_months,
                    last_verification=last_dates[i],
                    next_due=due_dates[i],
                )
            )
        m.Instrument.objects.bulk_create(batch, batch_size=BATCH)
        region.progress(len(batch))


def _span(cat: m.InstrumentCategory) -> tuple[int, float]:
    """(months from last verification to the next due date, 0 if none; how far back the last
    verification may lie, in months). Drawing a little beyond the interval makes some overdue."""
    if cat.verification_form == VerificationForm.FIRST_LIMITED_LIFE:
        life = cat.service_life_months or 60
        return life, life * 1.04
    if cat.verification_form == VerificationForm.FIRST_SCRAP_WHEN_INACCURATE:
        return 0, 60.0
    interval = cat.default_interval_months or 12
    return interval, interval * (1.10 if cat.compulsory_verification else 1.25)
