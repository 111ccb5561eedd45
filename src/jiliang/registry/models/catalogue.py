"""Seeded catalogues: measurement areas, districts, instrument categories, technical specifications."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiliang.registry.choices import SpecificationKind, VerificationForm
from jiliang.registry.models.base import (
    BilingualName,
    FieldConstraints,
    field_check,
    specification_code_validator,
)


class MeasurementArea(BilingualName):
    """One of the ten measurement areas (计量专业): length, thermal, mechanics, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("measurement area")
        verbose_name_plural = _("measurement areas")


class District(BilingualName):
    """A district of the region; ``code`` is its GB/T 2260 administrative division code."""

    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class TechnicalSpecification(FieldConstraints, models.Model):
    """A verification regulation (JJG), calibration specification (JJF) or local one (JJF(沪))."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[specification_code_validator])
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=SpecificationKind.choices)
    area = models.ForeignKey(
        MeasurementArea,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="specifications",
        verbose_name=_("measurement area"),
    )
    default_interval_months = models.PositiveSmallIntegerField(
        _("default interval (months)"), null=True, blank=True
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("technical specification")
        verbose_name_plural = _("technical specifications")
        constraints = [
            field_check(
                Q(default_interval_months__isnull=True) | Q(default_interval_months__gt=0),
                "spec_interval_positive",
                "default_interval_months",
                _("The interval must be at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class InstrumentCategory(FieldConstraints, BilingualName):
    """A kind of measuring instrument (计量器具) from the catalogue of instruments under compulsory
    administration (SAMR announcement 2020 No. 42), with its compulsory-verification form, or a
    category outside that catalogue (``compulsory_verification`` false, no form)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    area = models.ForeignKey(
        MeasurementArea, models.PROTECT, related_name="categories", verbose_name=_("measurement area")
    )
    compulsory_verification = models.BooleanField(_("compulsory verification"), default=False)  # 强制检定
    verification_form = models.CharField(
        _("verification form"), max_length=32, choices=VerificationForm.choices, blank=True
    )
    compulsory_scope = models.CharField(_("scope of compulsory verification"), max_length=300, blank=True)
    type_approval = models.BooleanField(_("type approval required"), default=False)  # 型式批准
    default_interval_months = models.PositiveSmallIntegerField(
        _("default interval (months)"), null=True, blank=True
    )
    service_life_months = models.PositiveSmallIntegerField(_("service life (months)"), null=True, blank=True)
    specification = models.ForeignKey(
        TechnicalSpecification,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("technical specification"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument category")
        verbose_name_plural = _("instrument categories")
        constraints = [
            # A compulsory category names its form; a voluntary one has none.
            field_check(
                (Q(compulsory_verification=True) & ~Q(verification_form=""))
                | (Q(compulsory_verification=False) & Q(verification_form="")),
                "category_form_iff_compulsory",
                "verification_form",
                _(
                    "A category under compulsory verification needs a verification form; other categories have none."
                ),
            ),
            # Limited-life first verification needs the life; periodic needs the interval.
            field_check(
                ~Q(verification_form=VerificationForm.FIRST_LIMITED_LIFE)
                | Q(service_life_months__isnull=False, service_life_months__gt=0),
                "category_limited_life_has_life",
                "service_life_months",
                _("First verification with a limited life needs the service life in months."),
            ),
            field_check(
                ~Q(verification_form=VerificationForm.PERIODIC)
                | Q(default_interval_months__isnull=False, default_interval_months__gt=0),
                "category_periodic_has_interval",
                "default_interval_months",
                _("Periodic verification needs the default interval in months."),
            ),
        ]
