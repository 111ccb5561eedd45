"""Measurement standards (计量基准 / 计量标准装置), reference materials (标准物质) and measuring
instruments in service (计量器具)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiliang.registry.choices import InstrumentStatus, StandardLevel, StandardStatus
from jiliang.registry.models.base import FieldConstraints, field_check, field_unique, gbw_number_validator
from jiliang.registry.models.catalogue import District, InstrumentCategory, MeasurementArea
from jiliang.registry.models.institutions import Institution


def _decimal(label: Any, *, null: bool = False) -> Any:
    """A measured value: 30 significant digits, 12 after the point, stored exactly as stated."""
    return models.DecimalField(label, max_digits=30, decimal_places=12, null=null, blank=null)


class MeasurementStandard(FieldConstraints, models.Model):
    """A measurement standard and its capability: U with k, an accuracy class or an MPE."""

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=StandardLevel.choices, db_index=True)
    owner = models.ForeignKey(Institution, models.PROTECT, related_name="standards", verbose_name=_("owner"))
    area = models.ForeignKey(MeasurementArea, models.PROTECT, verbose_name=_("measurement area"))
    quantity = models.CharField(_("quantity"), max_length=100)
    measuring_range = models.CharField(_("measuring range"), max_length=200, blank=True)
    expanded_uncertainty = _decimal(_("expanded uncertainty U"), null=True)
    coverage_factor = models.DecimalField(
        _("coverage factor k"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    uncertainty_unit = models.CharField(_("unit of U"), max_length=40, blank=True)
    accuracy_class = models.CharField(_("accuracy class"), max_length=40, blank=True)
    mpe = models.CharField(_("maximum permissible error"), max_length=100, blank=True)
    certificate_number = models.CharField(
        _("standard examination certificate number"), max_length=60, blank=True
    )
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StandardStatus.choices, default=StandardStatus.IN_SERVICE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("measurement standard")
        verbose_name_plural = _("measurement standards")
        constraints = [
            field_check(
                Q(expanded_uncertainty__isnull=True, coverage_factor__isnull=True)
                | Q(
                    expanded_uncertainty__isnull=False,
                    coverage_factor__isnull=False,
                    expanded_uncertainty__gt=0,
                    coverage_factor__gt=0,
                ),
                "standard_u_with_k",
                "expanded_uncertainty",
                _("Give the expanded uncertainty together with its coverage factor, both greater than zero."),
            ),
            field_check(
                Q(expanded_uncertainty__isnull=False) | ~Q(accuracy_class="") | ~Q(mpe=""),
                "standard_has_capability",
                "expanded_uncertainty",
                _(
                    "State the standard's capability: an expanded uncertainty with k, an accuracy class or a maximum permissible error."
                ),
            ),
            field_check(
                Q(certificate_number="") | Q(certificate_valid_until__isnull=False),
                "standard_certificate_has_validity",
                "certificate_valid_until",
                _("A certificate number needs the date until which the certificate is valid."),
            ),
            field_unique(
                "certificate_number",
                ~Q(certificate_number=""),
                "standard_certificate_unique",
                _("Another standard already has this certificate number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceMaterial(FieldConstraints, models.Model):
    """A certified reference material with its GBW (primary) or GBW(E) (secondary) number."""

    number = models.CharField(_("GBW number"), max_length=20, unique=True, validators=[gbw_number_validator])
    name = models.CharField(_("name"), max_length=200)
    producer = models.ForeignKey(
        Institution, models.PROTECT, related_name="reference_materials", verbose_name=_("producer")
    )
    area = models.ForeignKey(
        MeasurementArea, models.PROTECT, null=True, blank=True, verbose_name=_("measurement area")
    )
    property = models.CharField(_("certified property"), max_length=200)
    certified_value = _decimal(_("certified value"))
    expanded_uncertainty = _decimal(_("expanded uncertainty U"))
    coverage_factor = models.DecimalField(_("coverage factor k"), max_digits=6, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=40)
    expiry = models.DateField(_("expiry date"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("reference material")
        verbose_name_plural = _("reference materials")
        constraints = [
            field_check(
                Q(expanded_uncertainty__gt=0, coverage_factor__gt=0),
                "rm_u_and_k_positive",
                "expanded_uncertainty",
                _("The expanded uncertainty and the coverage factor must both be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Instrument(FieldConstraints, models.Model):
    """A measuring instrument in service. Its identity is (manufacturer, model, serial number):
    manufacturers number their own products, so equal serials from two makers are two instruments.
    """

    category = models.ForeignKey(
        InstrumentCategory, models.PROTECT, related_name="instruments", verbose_name=_("category")
    )
    manufacturer = models.CharField(_("manufacturer"), max_length=200)
    model = models.CharField(_("model"), max_length=100)
    serial_number = models.CharField(_("serial number"), max_length=100)
    owner = models.ForeignKey(
        Institution, models.PROTECT, related_name="instruments", verbose_name=_("owner")
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    district = models.ForeignKey(
        District,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("district"),
    )
    accuracy_class = models.CharField(_("accuracy class"), max_length=40, blank=True)
    mpe = models.CharField(_("maximum permissible error"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InstrumentStatus.choices, default=InstrumentStatus.IN_SERVICE
    )
    interval_months = models.PositiveSmallIntegerField(
        _("verification interval (months)"), null=True, blank=True
    )
    last_verification = models.DateField(_("last verification"), null=True, blank=True)
    next_due = models.DateField(_("next due date"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "model", "serial_number"], name="instrument_identity_unique"
            ),
            field_check(
                Q(interval_months__isnull=True) | Q(interval_months__gt=0),
                "instrument_interval_positive",
                "interval_months",
                _("The interval must be at least one month."),
            ),
            field_check(
                Q(next_due__isnull=True)
                | Q(last_verification__isnull=True)
                | Q(next_due__gte=F("last_verification")),
                "instrument_due_after_verification",
                "next_due",
                _("The next due date cannot be before the last verification."),
            ),
            field_check(
                ~Q(serial_number=""),
                "instrument_serial_not_blank",
                "serial_number",
                _("The serial number must not be blank."),
            ),
        ]
        indexes = [
            models.Index(fields=["serial_number"], name="instrument_serial_idx"),
            models.Index(fields=["next_due"], name="instrument_next_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.model} {self.serial_number}"
