"""Calibration and verification records, their results per measurement point, and the standards
and reference materials used at each point (ISO/IEC 17025:2017 7.5, 7.8; JJF 1069, JJF 1033).

A record of a measurement standard is also the certificate that makes that standard valid: the
records therefore form the traceability graph (an edge runs from a record to the certificate of
each standard it used; see :mod:`jiliang.traceability`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiliang.calibration.choices import Outcome, RecordKind, RecordStatus
from jiliang.registry.models import (
    Institution,
    Instrument,
    MeasurementArea,
    MeasurementStandard,
    Person,
    ReferenceMaterial,
    TechnicalSpecification,
)


def _decimal(label: Any, *, null: bool = False) -> Any:
    return models.DecimalField(label, max_digits=30, decimal_places=12, null=null, blank=null)


class Record(models.Model):
    """One calibration or verification of an instrument or of a measurement standard.

    ``institution`` performed it and issues the certificate; certificate numbers are unique per
    issuer. ``cipm_mra_reference`` marks a certificate of a foreign national metrology institute
    recognised under the CIPM MRA (its KCDB CMC reference): a traceability chain may end there.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    institution = models.ForeignKey(
        Institution, models.PROTECT, related_name="records", verbose_name=_("performing institution")
    )
    instrument = models.ForeignKey(
        Instrument,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("instrument"),
    )
    standard = models.ForeignKey(
        MeasurementStandard,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("measurement standard"),
    )
    area = models.ForeignKey(MeasurementArea, models.PROTECT, verbose_name=_("measurement area"))
    specification = models.ForeignKey(
        TechnicalSpecification,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("technical specification"),
    )
    performer = models.ForeignKey(
        Person, models.PROTECT, related_name="performed_records", verbose_name=_("performer")
    )
    checker = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="checked_records",
        verbose_name=_("checker"),
    )
    approver = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_records",
        verbose_name=_("approver"),
    )
    calibration_date = models.DateField(_("calibration date"), db_index=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    temperature = models.CharField(_("temperature"), max_length=40, blank=True)
    humidity = models.CharField(_("relative humidity"), max_length=40, blank=True)
    conditions = models.CharField(_("other environmental conditions"), max_length=300, blank=True)
    decision_rule = models.CharField(_("decision rule"), max_length=40, default="simple")
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    cipm_mra_reference = models.CharField(_("CIPM MRA CMC reference"), max_length=100, blank=True)
    supersedes = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["-calibration_date", "id"]
        verbose_name = _("calibration or verification record")
        verbose_name_plural = _("calibration and verification records")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "certificate_number"], name="record_certificate_unique_per_issuer"
            ),
            models.CheckConstraint(
                condition=Q(instrument__isnull=False, standard__isnull=True)
                | Q(instrument__isnull=True, standard__isnull=False),
                name="record_one_item",
            ),
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("performer")),
                name="record_checker_not_performer",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("calibration_date")),
                name="record_valid_after_calibration",
            ),
            models.CheckConstraint(condition=~Q(certificate_number=""), name="record_number_not_blank"),
        ]
        indexes = [models.Index(fields=["certificate_number"], name="record_number_idx")]

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def item(self) -> Instrument | MeasurementStandard:
        item = self.instrument or self.standard
        assert item is not None
        return item


class Result(models.Model):
    """One measurement point: the error of indication (measured − nominal) is judged against
    the tolerance [lower, upper] with the record's decision rule (JCGM 106:2012, ILAC-G8)."""

    record = models.ForeignKey(Record, models.CASCADE, related_name="results", verbose_name=_("record"))
    position = models.PositiveIntegerField(_("position"))
    quantity = models.CharField(_("quantity"), max_length=100)
    unit = models.CharField(_("unit"), max_length=40)
    nominal_value = _decimal(_("nominal value"))
    measured_value = _decimal(_("measured value"))
    as_found_value = _decimal(_("as-found value"), null=True)
    expanded_uncertainty = _decimal(_("expanded uncertainty U"))
    coverage_factor = models.DecimalField(_("coverage factor k"), max_digits=6, decimal_places=3)
    coverage_probability = models.DecimalField(
        _("coverage probability p"), max_digits=5, decimal_places=4, default="0.9545"
    )
    tolerance_lower = _decimal(_("lower tolerance limit of the error"), null=True)
    tolerance_upper = _decimal(_("upper tolerance limit of the error"), null=True)
    decision = models.CharField(_("conformity statement"), max_length=30, blank=True)
    accepted = models.BooleanField(_("accepted"), null=True, blank=True)
    as_found_decision = models.CharField(_("as-found conformity statement"), max_length=30, blank=True)

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["record", "position"], name="result_position_unique"),
            models.CheckConstraint(
                condition=Q(expanded_uncertainty__gt=0, coverage_factor__gt=0), name="result_u_and_k_positive"
            ),
            models.CheckConstraint(
                condition=Q(coverage_probability__gt=0, coverage_probability__lt=1), name="result_p_in_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} #{self.position}"

    @property
    def has_tolerance(self) -> bool:
        return self.tolerance_lower is not None or self.tolerance_upper is not None


class Usage(models.Model):
    """A measurement standard or reference material used at one measurement point, with the
    certificate (record) that made the standard valid on that date (ISO/IEC 17025 6.5, 7.5.1).

    ``record`` repeats ``result.record`` so that the traceability queries need one table."""

    record = models.ForeignKey(Record, models.CASCADE, related_name="usages", verbose_name=_("record"))
    result = models.ForeignKey(Result, models.CASCADE, related_name="usages", verbose_name=_("result"))
    standard = models.ForeignKey(
        MeasurementStandard,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="usages",
        verbose_name=_("measurement standard"),
    )
    reference_material = models.ForeignKey(
        ReferenceMaterial,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="usages",
        verbose_name=_("reference material"),
    )
    certificate = models.ForeignKey(
        Record,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="uses_as_certificate",
        verbose_name=_("certificate of the standard"),
    )

    class Meta:
        ordering = ["result", "id"]
        verbose_name = _("standard used")
        verbose_name_plural = _("standards used")
        constraints = [
            models.CheckConstraint(
                condition=Q(standard__isnull=False, reference_material__isnull=True)
                | Q(standard__isnull=True, reference_material__isnull=False, certificate__isnull=True),
                name="usage_standard_or_material",
            ),
        ]
        # Covering (record and result in the key): the impact's recursion reads the uses of each
        # reached certificate from the index alone (an index-only scan on PostgreSQL).
        indexes = [
            models.Index(fields=["standard", "record", "result"], name="usage_standard_cover_idx"),
            models.Index(fields=["reference_material", "record", "result"], name="usage_material_cover_idx"),
            models.Index(fields=["certificate", "record", "result"], name="usage_certificate_cover_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.result}: {self.standard or self.reference_material}"
