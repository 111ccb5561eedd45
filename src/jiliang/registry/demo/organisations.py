"""Demo region, first half: institutions, authorisations, people and local specifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from jiliang.registry import models as m
from jiliang.registry.choices import AuthorisationActivity, InstitutionKind, SpecificationKind
from jiliang.registry.demo import names
from jiliang.registry.validators import credit_code_check_character

BATCH = 2000  # rows per INSERT; keeps PostgreSQL under its 65,535 bind parameters
Progress = Callable[[int], None]

# Which compulsory categories each specialised legal institution verifies (by name fragment).
_SPECIALISED_SCOPE = {
    "供水": ("water_meter_dn15_25", "water_meter_dn32_50"),
    "燃气": ("gas_meter_g16", "combustible_gas_detector"),
    "电力": ("electricity_meter",),
    "医疗器械": ("sphygmomanometer", "clinical_thermometer"),
    "交通": ("taximeter", "radar_speed_meter", "breath_alcohol_analyser"),
    "环境": ("sound_level_meter",),
}
_DISTRICT_SCOPE = ("non_automatic_scale", "pressure_gauge", "fuel_dispenser", "sphygmomanometer")


@dataclass
class Region:
    """What the later stages need from the earlier ones: ids by role, and the catalogues."""

    rng: np.random.Generator
    today: date
    scale: float
    progress: Progress
    districts: list[m.District] = field(default_factory=list)
    areas: dict[str, m.MeasurementArea] = field(default_factory=dict)
    categories: dict[str, m.InstrumentCategory] = field(default_factory=dict)
    institute: m.Institution | None = None
    regulator: m.Institution | None = None
    legal: list[m.Institution] = field(default_factory=list)
    labs: list[m.Institution] = field(default_factory=list)
    stations: list[m.Institution] = field(default_factory=list)
    centres: list[m.Institution] = field(default_factory=list)
    enterprises: list[m.Institution] = field(default_factory=list)

    def count(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    def pick(self, items: list, size: int) -> list:
        return [items[i] for i in self.rng.integers(0, len(items), size)]

    def days(self, low: int, high: int) -> date:
        return self.today + timedelta(days=int(self.rng.integers(low, high)))


def load_catalogues(region: Region) -> None:
    region.districts = list(m.District.objects.order_by("code"))
    region.areas = {a.code: a for a in m.MeasurementArea.objects.all()}
    region.categories = {c.code: c for c in m.InstrumentCategory.objects.all()}


def _credit_code(prefix: str, district: m.District | None, serial: int) -> str:
    body = f"{prefix}{district.code if district else '310000'}{serial:09d}"
    return body + credit_code_check_character(body)


def _unique_names(region: Region, count: int, make: Callable[[int], str], space: int) -> list[str]:
    return [make(int(i)) for i in region.rng.permutation(space)[:count]]


def build_institutions(region: Region) -> None:
    """Regulators, the 23 legal-metrology institutions, stations, centres, labs and owners."""
    rng, districts = region.rng, region.districts
    rows: list[tuple[str, str, m.District | None, str]] = [
        (names.CITY_REGULATOR, InstitutionKind.REGULATOR, None, "11"),
        (names.CITY_INSTITUTE, InstitutionKind.LEGAL_METROLOGY_INSTITUTION, districts[1], "12"),
    ]
    rows += [(f"上海市{d.name_zh}市场监督管理局", InstitutionKind.REGULATOR, d, "11") for d in districts]
    rows += [
        (f"上海市{d.name_zh}计量检定所", InstitutionKind.LEGAL_METROLOGY_INSTITUTION, d, "12")
        for d in districts
    ]
    for group, kind in (
        (names.LEGAL_SPECIALISED, InstitutionKind.LEGAL_METROLOGY_INSTITUTION),
        (names.PROFESSIONAL_STATIONS, InstitutionKind.PROFESSIONAL_STATION),
        (names.INDUSTRIAL_CENTRES, InstitutionKind.INDUSTRIAL_METROLOGY_CENTRE),
    ):
        rows += [(name, kind, region.pick(districts, 1)[0], "12") for name in group]
    trades, labs = names.TRADE_NAMES, names.LAB_TRADES
    lab_names = _unique_names(
        region,
        region.count(150),
        lambda i: f"上海{trades[i % len(trades)]}{labs[i // len(trades)]}有限公司",
        len(trades) * len(labs),
    )
    rows += [
        (n, InstitutionKind.CALIBRATION_LABORATORY, region.pick(districts, 1)[0], "91") for n in lab_names
    ]
    ent = names.ENTERPRISE_TRADES
    space = len(trades) ** 2 * len(ent)
    enterprise_names = _unique_names(
        region,
        region.count(2500, minimum=len(districts)),
        lambda i: (
            f"上海{trades[i % len(trades)]}{trades[i // len(trades) % len(trades)]}"
            f"{ent[i // len(trades) ** 2]}有限公司"
        ),
        space,
    )
    weights = np.array([names.DISTRICT_WEIGHTS[d.code] for d in districts])
    # Every district gets owners: the first sixteen in turn, the rest by population.
    ent_districts = list(range(len(districts))) + list(
        rng.choice(len(districts), len(enterprise_names) - len(districts), p=weights / weights.sum())
    )
    rows += [
        (n, InstitutionKind.ENTERPRISE, districts[int(d)], "91")
        for n, d in zip(enterprise_names, ent_districts, strict=True)
    ]
    objs = [_institution(region, i, *row) for i, row in enumerate(rows, start=1)]
    created = m.Institution.objects.bulk_create(objs, batch_size=BATCH)
    region.progress(len(created))
    _sort_institutions(region, list(m.Institution.objects.order_by("id")))


def _institution(
    region: Region, serial: int, name: str, kind: str, district: m.District | None, prefix: str
) -> m.Institution:
    obj = m.Institution(
        name=name,
        kind=kind,
        credit_code=_credit_code(prefix, district, serial),
        district=district,
        address=f"{district.name_zh if district else '上海市'}{region.pick(names.ROADS, 1)[0]}"
        f"{int(region.rng.integers(1, 2000))}号",
    )
    if kind in (InstitutionKind.CALIBRATION_LABORATORY, InstitutionKind.LEGAL_METROLOGY_INSTITUTION):
        obj.cnas_number = f"CNAS L{1000 + serial:04d}"
        obj.accreditation_scope = "校准、检测（见认可证书附件）"
        obj.accreditation_valid_until = region.days(-60, 6 * 365)
    return obj


def _sort_institutions(region: Region, institutions: list[m.Institution]) -> None:
    by_kind: dict[str, list[m.Institution]] = {}
    for inst in institutions:
        by_kind.setdefault(inst.kind, []).append(inst)
    region.regulator = next(i for i in by_kind[InstitutionKind.REGULATOR] if i.district_id is None)
    region.legal = by_kind[InstitutionKind.LEGAL_METROLOGY_INSTITUTION]
    region.institute = next(i for i in region.legal if i.name == names.CITY_INSTITUTE)
    region.labs = by_kind[InstitutionKind.CALIBRATION_LABORATORY]
    region.stations = by_kind[InstitutionKind.PROFESSIONAL_STATION]
    region.centres = by_kind[InstitutionKind.INDUSTRIAL_METROLOGY_CENTRE]
    region.enterprises = by_kind[InstitutionKind.ENTERPRISE]


def _legal_scope(inst: m.Institution, region: Region) -> tuple[str, ...]:
    if inst.pk == region.institute.pk:  # type: ignore[union-attr]
        return tuple(c for c, cat in region.categories.items() if cat.compulsory_verification)
    for fragment, scope in _SPECIALISED_SCOPE.items():
        if fragment in inst.name:
            return scope
    return _DISTRICT_SCOPE


def build_authorisations(region: Region) -> None:
    """Legal institutions verify compulsory categories; labs calibrate in one to three areas."""
    objs = []
    for inst in region.legal:
        for code in _legal_scope(inst, region):
            cat = region.categories[code]
            objs.append(
                m.Authorisation(
                    institution=inst,
                    activity=AuthorisationActivity.VERIFICATION,
                    area_id=cat.area_id,
                    category=cat,
                    specification_id=cat.specification_id,
                    valid_from=region.days(-4 * 365, -30),
                    valid_until=region.days(30, 5 * 365),
                )
            )
    areas = list(region.areas.values())
    for inst in region.labs + region.stations + region.centres:
        for area in region.rng.choice(len(areas), int(region.rng.integers(1, 4)), replace=False):
            objs.append(
                m.Authorisation(
                    institution=inst,
                    activity=AuthorisationActivity.CALIBRATION,
                    area=areas[int(area)],
                    items=f"{areas[int(area)].name_zh}计量器具校准",
                    valid_from=region.days(-4 * 365, -30),
                    valid_until=region.days(30, 5 * 365),
                )
            )
    region.progress(len(m.Authorisation.objects.bulk_create(objs, batch_size=BATCH)))


def chinese_names(rng: np.random.Generator, count: int) -> list[str]:
    """Invented Chinese names: a surname drawn by frequency and one or two given characters."""
    surnames, given = names.SURNAMES, names.GIVEN
    weights = 0.95 ** np.arange(len(surnames))
    s = rng.choice(len(surnames), count, p=weights / weights.sum())
    g1 = rng.integers(0, len(given), count)
    g2 = rng.integers(-len(given), len(given), count)  # negative: a one-character given name
    return [surnames[a] + given[b] + (given[c] if c >= 0 else "") for a, b, c in zip(s, g1, g2, strict=True)]


def build_metrologists(region: Region) -> None:
    """Registered metrologists (注册计量师), mostly in legal institutions, with authorised items."""
    count = region.count(978)
    rng = region.rng
    homes = region.legal * 12 + region.labs * 2 + region.stations * 3 + region.centres * 3
    compulsory = [c for c in region.categories.values() if c.compulsory_verification]
    people = []
    for i, (name, home) in enumerate(zip(chinese_names(rng, count), region.pick(homes, count), strict=True)):
        level = 1 if rng.random() < 0.3 else 2
        issued = region.days(-10 * 365, -30)
        people.append(
            m.Person(
                institution=home,
                name=name,
                metrologist_level=level,
                registration_number=f"{'一' if level == 1 else '二'}级沪{issued.year}{i + 1:05d}",
                registration_valid_until=issued + timedelta(days=5 * 365),
            )
        )
    created = m.Person.objects.bulk_create(people, batch_size=BATCH)
    through = m.Person.authorised_categories.through
    links = [
        through(person_id=p.pk, instrumentcategory_id=compulsory[int(c)].pk)
        for p in created
        for c in rng.choice(len(compulsory), int(rng.integers(1, 4)), replace=False)
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    region.progress(len(created))


def build_local_specifications(region: Region, total: int = 19) -> None:
    """Local specifications JJF(沪) until the region has ``total`` of them."""
    existing = m.TechnicalSpecification.objects.filter(kind=SpecificationKind.LOCAL_SPECIFICATION)
    taken = set(m.TechnicalSpecification.objects.values_list("code", flat=True))
    areas = list(region.areas.values())
    objs, number = [], 60
    for subject in names.LOCAL_SPEC_SUBJECTS[: max(0, total - existing.count())]:
        year = int(region.rng.integers(2016, 2025))
        code = f"JJF(沪){number}-{year}"
        number += 1
        if code in taken:
            continue
        objs.append(
            m.TechnicalSpecification(
                code=code,
                title=f"{subject}技术规范",
                kind=SpecificationKind.LOCAL_SPECIFICATION,
                area=region.pick(areas, 1)[0],
                effective_from=date(year, int(region.rng.integers(1, 13)), 1),
            )
        )
    region.progress(len(m.TechnicalSpecification.objects.bulk_create(objs)))
