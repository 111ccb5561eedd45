"""Digital calibration certificates kept by Jiliang (issue 6 items 2 and 5).

``IssuedCertificate`` holds the exact bytes of the signed DCC of an issued record: they are the
certificate, served as they are (re-serialising them would break the signature). Its status is
the record's (issued, superseded, revoked). ``ImportedCertificate`` is a third-party DCC kept as
the evidence of a measurement standard's external calibration, with its validation report.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiliang.calibration.models import Record
from jiliang.registry.models import MeasurementStandard


class IssuedCertificate(models.Model):
    record = models.OneToOneField(
        Record, models.PROTECT, related_name="dcc", verbose_name=_("calibration or verification record")
    )
    number = models.CharField(_("certificate number"), max_length=60, db_index=True)
    signed_xml = models.BinaryField(_("signed DCC"))
    sha256 = models.CharField(_("SHA-256 of the signed DCC"), max_length=64)
    key_name = models.CharField(_("signing key"), max_length=64)
    signer_serial = models.CharField(_("serial number of the signer's certificate"), max_length=64)
    signer_certificate = models.TextField(_("signer's certificate (PEM)"))
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["-signed_at", "id"]
        verbose_name = _("issued digital calibration certificate")
        verbose_name_plural = _("issued digital calibration certificates")

    def __str__(self) -> str:
        return self.number


class ImportedCertificate(models.Model):
    """A DCC of another institute for ``standard``: the external link of its traceability.

    It is a node of the traceability graph by itself: a record that used ``standard`` without
    naming a certificate traces to the imported DCC whose calibration covers the date of use
    (``end_performance_date`` .. ``valid_until``). ``cipm_mra_reference`` (the KCDB CMC the
    importer names) makes it the end of the chain; ``valid`` false breaks the chain. ``points``
    are ``[unit (pint), value, U]`` read from the DCC's results. ``record`` (optional) is a
    calibration record entered for the same calibration; the DCC is then also its evidence."""

    standard = models.ForeignKey(
        MeasurementStandard,
        models.PROTECT,
        related_name="imported_certificates",
        verbose_name=_("measurement standard"),
    )
    record = models.ForeignKey(
        Record,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_dccs",
        verbose_name=_("record of the external calibration"),
    )
    unique_identifier = models.CharField(_("certificate number"), max_length=200, db_index=True)
    issuer = models.CharField(_("issuing laboratory"), max_length=300)
    schema_version = models.CharField(_("DCC schema version"), max_length=10, blank=True)
    end_performance_date = models.DateField(_("calibration date"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    valid_until = models.DateField(_("recalibration due"), null=True, blank=True)
    cipm_mra_reference = models.CharField(_("CIPM MRA CMC reference"), max_length=100, blank=True)
    points = models.JSONField(_("measurement points"), default=list)
    file_name = models.CharField(_("file name"), max_length=255)
    xml = models.BinaryField(_("DCC as received"))
    sha256 = models.CharField(_("SHA-256 of the DCC"), max_length=64)
    valid = models.BooleanField(_("valid"))
    signature_status = models.CharField(_("signature"), max_length=30)
    report = models.JSONField(_("validation report"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.CharField(_("imported by"), max_length=150)

    class Meta:
        ordering = ["-imported_at", "id"]
        verbose_name = _("imported digital calibration certificate")
        verbose_name_plural = _("imported digital calibration certificates")
        constraints = [
            models.UniqueConstraint(fields=["standard", "sha256"], name="imported_dcc_once_per_standard")
        ]

    def __str__(self) -> str:
        return self.unique_identifier
