"""What each registry record kind shows on the web: list columns, filters, search fields and the
form. The views in :mod:`jiliang.registry.views` are generic over these descriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiliang.registry import forms
from jiliang.registry import models as m


@dataclass(frozen=True)
class Page:
    slug: str
    model: type[Model]
    title: Promise
    form: type[forms.RegistryForm]
    queryset: Callable[[], QuerySet]
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    public: bool = True  # listed for everyone; otherwise only records the actor may read, after login
    related: tuple[tuple[str, Promise, tuple[str, ...]], ...] = field(default=())


PAGES: dict[str, Page] = {
    p.slug: p
    for p in (
        Page(
            "institutions",
            m.Institution,
            _("Institutions"),
            forms.InstitutionForm,
            lambda: m.Institution.objects.select_related("district"),
            ("name", "kind", "district", "credit_code", "cnas_number", "accreditation_valid_until"),
            filters=("kind", "district"),
            search=("name", "credit_code", "cnas_number", "address"),
            related=(
                ("authorisations", _("Authorisations"), ("activity", "area", "category", "valid_until")),
                ("standards", _("Measurement standards"), ("name", "level", "certificate_valid_until")),
            ),
        ),
        Page(
            "people",
            m.Person,
            _("People"),
            forms.PersonForm,
            lambda: m.Person.objects.select_related("institution"),
            (
                "name",
                "institution",
                "role",
                "metrologist_level",
                "registration_number",
                "registration_valid_until",
            ),
            filters=("role", "metrologist_level"),
            search=("name", "registration_number", "institution__name"),
            public=False,
        ),
        Page(
            "standards",
            m.MeasurementStandard,
            _("Measurement standards"),
            forms.MeasurementStandardForm,
            lambda: m.MeasurementStandard.objects.select_related("owner", "area"),
            ("name", "level", "owner", "area", "certificate_number", "certificate_valid_until", "status"),
            filters=("level", "area", "status"),
            search=("name", "quantity", "certificate_number", "owner__name"),
        ),
        Page(
            "reference-materials",
            m.ReferenceMaterial,
            _("Reference materials"),
            forms.ReferenceMaterialForm,
            lambda: m.ReferenceMaterial.objects.select_related("producer"),
            ("number", "name", "property", "certified_value", "unit", "producer", "expiry"),
            filters=("area",),
            search=("number", "name", "property", "producer__name"),
        ),
        Page(
            "instruments",
            m.Instrument,
            _("Instruments"),
            forms.InstrumentForm,
            lambda: m.Instrument.objects.select_related("category", "owner", "district"),
            ("serial_number", "category", "manufacturer", "model", "owner", "district", "status", "next_due"),
            filters=("category", "district", "status"),
            search=("serial_number", "manufacturer", "model", "owner__name"),
            public=False,
        ),
        Page(
            "specifications",
            m.TechnicalSpecification,
            _("Technical specifications"),
            forms.TechnicalSpecificationForm,
            lambda: m.TechnicalSpecification.objects.select_related("area"),
            ("code", "title", "kind", "area", "default_interval_months", "effective_from"),
            filters=("kind", "area"),
            search=("code", "title"),
        ),
    )
}
