"""The region's figures for the dashboard, computed from the database (a handful of grouped
queries, whatever the number of rows).

The figures are aggregate counts, which a regulator publishes (the Shanghai figures of 878 reference
materials or 978 registered metrologists are public), so everyone sees the same region-wide
figures; the records behind them stay scoped by role in the lists and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import get_language

from jiliang.registry import models as m
from jiliang.registry.choices import InstitutionKind, InstrumentStatus, MetrologistLevel, StandardLevel

DUE_SOON_DAYS = 30
CACHE_SECONDS = 60  # the figures scan every instrument; a minute-old dashboard is fine


@dataclass(frozen=True)
class RegionFigures:
    institutions: int
    institutions_by_kind: list[tuple[str, int]]
    standards: int
    standards_by_level: list[tuple[str, int]]
    standards_by_area: list[tuple[str, int]]
    reference_materials: int
    metrologists: int
    metrologists_by_level: list[tuple[str, int]]
    instruments: int  # in service
    instruments_by_district: list[tuple[str, int]]
    instruments_by_area: list[tuple[str, int]]
    overdue: int
    due_soon: int
    compulsory: int

    @property
    def compulsory_share(self) -> float:
        return self.compulsory / self.instruments if self.instruments else 0.0


def _labelled(rows: dict, labels: dict) -> list[tuple[str, int]]:
    return [(str(label), rows.get(key, 0)) for key, label in labels.items()]


def cached_region_figures() -> RegionFigures:
    """:func:`region_figures` for today, kept a minute per language."""
    key = f"registry:figures:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = region_figures()
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def region_figures(today: date | None = None) -> RegionFigures:
    today = today or date.today()
    institutions = dict(m.Institution.objects.values_list("kind").annotate(n=Count("id")).order_by())
    standards = m.MeasurementStandard.objects
    by_level = dict(standards.values_list("level").annotate(n=Count("id")).order_by())
    by_area = dict(standards.values_list("area").annotate(n=Count("id")).order_by())
    areas = {a.pk: a.name for a in m.MeasurementArea.objects.all()}
    people = m.Person.objects.filter(metrologist_level__isnull=False)
    people_by_level = dict(people.values_list("metrologist_level").annotate(n=Count("id")).order_by())
    instruments = m.Instrument.objects.filter(status=InstrumentStatus.IN_SERVICE)
    totals = instruments.aggregate(
        n=Count("id"),
        overdue=Count("id", filter=Q(next_due__lt=today)),
        soon=Count("id", filter=Q(next_due__gte=today, next_due__lte=today + timedelta(days=DUE_SOON_DAYS))),
        compulsory=Count("id", filter=Q(category__compulsory_verification=True)),
    )
    by_district = dict(instruments.values_list("district").annotate(n=Count("id")).order_by())
    by_category_area = dict(instruments.values_list("category__area").annotate(n=Count("id")).order_by())
    districts = {d.pk: d.name for d in m.District.objects.all()}
    return RegionFigures(
        institutions=sum(institutions.values()),
        institutions_by_kind=_labelled(institutions, dict(InstitutionKind.choices)),
        standards=sum(by_level.values()),
        standards_by_level=_labelled(by_level, dict(StandardLevel.choices)),
        standards_by_area=_labelled(by_area, areas),
        reference_materials=m.ReferenceMaterial.objects.count(),
        metrologists=sum(people_by_level.values()),
        metrologists_by_level=_labelled(people_by_level, dict(MetrologistLevel.choices)),
        instruments=totals["n"],
        instruments_by_district=sorted(_labelled(by_district, districts), key=lambda kv: -kv[1]),
        instruments_by_area=[kv for kv in _labelled(by_category_area, areas) if kv[1]],
        overdue=totals["overdue"],
        due_soon=totals["soon"],
        compulsory=totals["compulsory"],
    )
