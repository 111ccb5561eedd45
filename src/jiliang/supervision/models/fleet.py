"""Meter fleets, lots, sample draws and in-service inspection results (state-based extension).

The meter table is compact on purpose (millions of rows) and written once, by the import: strings
for the homogeneity keys, a small integer for the verification year. Lot formation does not
rewrite meters: a lot stores its members as its sampling frame (ascending meter ids, 64-bit
little-endian, the bytes whose SHA-256 the draw records), and a meter's extension and due year
follow from the lots it was in (:mod:`jiliang.supervision.membership`). Only rotating a failed lot
writes its meters (status and exclusion).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiliang.registry.models import District, Institution, InstrumentCategory
from jiliang.supervision.choices import LotStatus, MeterStatus, Outcome


def _default_rule() -> dict[str, object]:
    return {"kind": "lq", "extension_years": 4, "limiting_quality": 5.0}


def _default_lot_rules() -> dict[str, object]:
    return {"max_year_span": 2, "same_manufacturer": True}


class Fleet(models.Model):
    """The meters of one operator (e.g. a grid company) under one jurisdiction's extension rule."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(Institution, models.PROTECT, related_name="fleets", verbose_name=_("owner"))
    category = models.ForeignKey(InstrumentCategory, models.PROTECT, verbose_name=_("category"))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=60, default="CN-SH")
    base_years = models.PositiveSmallIntegerField(_("verification period (years)"), default=8)
    rule = models.JSONField(_("extension rule"), default=_default_rule)
    lot_rules = models.JSONField(_("lot-formation rules"), default=_default_lot_rules)
    test_points = models.JSONField(_("test points"), default=list, blank=True)
    replacements_per_day = models.PositiveIntegerField(_("replacements per day"), default=500)
    test_days = models.PositiveSmallIntegerField(_("days for testing"), default=60)
    notice_days = models.PositiveSmallIntegerField(_("days of notice to the authority"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("meter fleet")
        verbose_name_plural = _("meter fleets")
        constraints = [
            models.CheckConstraint(condition=Q(base_years__gt=0), name="fleet_base_years_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A lot (批次 / Los) of like meters judged from one sample."""

    fleet = models.ForeignKey(Fleet, models.CASCADE, related_name="lots", verbose_name=_("fleet"))
    number = models.PositiveIntegerField(_("number"))
    meter_type = models.CharField(_("meter type"), max_length=60)
    ratings = models.CharField(_("ratings"), max_length=60)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first verification year"))
    last_year = models.PositiveSmallIntegerField(_("last verification year"))
    due_year = models.PositiveSmallIntegerField(_("due year"))
    size = models.PositiveIntegerField(_("size"))
    status = models.CharField(_("status"), max_length=20, choices=LotStatus.choices, default=LotStatus.FORMED)
    notified_on = models.DateField(_("authority notified on"), null=True, blank=True)
    started_on = models.DateField(_("testing started on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    extension_years = models.PositiveSmallIntegerField(_("extension (years)"), default=0)
    plan = models.JSONField(_("sampling plan"), default=dict)
    decision = models.JSONField(_("decision"), default=dict)
    frame = models.BinaryField(_("members (sampling frame)"), default=b"", editable=False)

    class Meta:
        ordering = ["fleet", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["fleet", "number"], name="lot_number_unique"),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="lot_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fleet.code}/{self.number}"


class Meter(models.Model):
    # Two full indexes only (primary key; serial with fleet): each one costs the import of
    # millions of rows. Meters of a fleet are found through its cells (see MeterCell).
    fleet = models.ForeignKey(
        Fleet, models.CASCADE, related_name="meters", verbose_name=_("fleet"), db_index=False
    )
    serial_number = models.CharField(_("serial number"), max_length=40)
    meter_type = models.CharField(_("meter type"), max_length=60)
    ratings = models.CharField(_("ratings"), max_length=60)
    manufacturer = models.CharField(_("manufacturer"), max_length=200)
    model = models.CharField(_("model"), max_length=100)
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    verification_year = models.PositiveSmallIntegerField(_("verification year"))
    installed = models.DateField(_("installed on"), null=True, blank=True)
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, verbose_name=_("district"), db_index=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeterStatus.choices, default=MeterStatus.IN_SERVICE
    )
    excluded = models.BooleanField(_("excluded from lots"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        # Serial first: the same index serves the public lookup by serial across fleets.
        constraints = [models.UniqueConstraint(fields=["serial_number", "fleet"], name="meter_serial_unique")]
        indexes = [
            # Only meters out of lot formation (replaced, excluded by the operator): empty after an
            # import. Meters are otherwise found through the cells, lots' frames and serials.
            models.Index(
                fields=["fleet"],
                name="meter_out_of_lots_idx",
                condition=Q(excluded=True) | ~Q(status=MeterStatus.IN_SERVICE),
            ),
        ]

    def __str__(self) -> str:
        return self.serial_number


class MeterCell(models.Model):
    """The ids of a fleet's meters alike in every lot attribute and verification year, written by
    the import (the only way meters enter a fleet; these attributes never change afterwards).

    Lot formation for a due year reads the cells of one verification year instead of scanning
    millions of meter rows spread over the whole table. ``ids`` are ascending 64-bit
    little-endian integers, like a lot's frame.
    """

    fleet = models.ForeignKey(Fleet, models.CASCADE, related_name="cells", verbose_name=_("fleet"))
    meter_type = models.CharField(_("meter type"), max_length=60)
    ratings = models.CharField(_("ratings"), max_length=60)
    manufacturer = models.CharField(_("manufacturer"), max_length=200)
    model = models.CharField(_("model"), max_length=100)
    verification_year = models.PositiveSmallIntegerField(_("verification year"))
    size = models.PositiveIntegerField(_("size"))
    ids = models.BinaryField(_("meter ids"))

    class Meta:
        verbose_name = _("meter cell")
        verbose_name_plural = _("meter cells")
        indexes = [models.Index(fields=["fleet", "verification_year"], name="cell_fleet_year_idx")]


class SampleDraw(models.Model):
    """The random draw of a lot's sample: seed, frame digest, sample and reserves (auditable)."""

    lot = models.OneToOneField(Lot, models.CASCADE, related_name="draw", verbose_name=_("lot"))
    seed = models.BigIntegerField(_("seed"))
    frame_digest = models.CharField(_("frame SHA-256"), max_length=64)
    frame_size = models.PositiveIntegerField(_("frame size"))
    algorithm = models.CharField(_("algorithm"), max_length=100)
    sample = models.JSONField(_("sample (meter ids)"))
    reserves = models.JSONField(_("reserves (meter ids)"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    drawn_by = models.CharField(_("drawn by"), max_length=150)

    class Meta:
        verbose_name = _("sample draw")
        verbose_name_plural = _("sample draws")


class SampleMeter(models.Model):
    """A meter in the sample; an inaccessible one is kept, marked and replaced by the next reserve."""

    draw = models.ForeignKey(SampleDraw, models.CASCADE, related_name="members", verbose_name=_("draw"))
    meter = models.ForeignKey(Meter, models.PROTECT, related_name="+", verbose_name=_("meter"))
    position = models.PositiveIntegerField(_("position"))
    inaccessible = models.BooleanField(_("inaccessible"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    replaces = models.ForeignKey("self", models.PROTECT, null=True, blank=True, verbose_name=_("replaces"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("sample meter")
        verbose_name_plural = _("sample meters")
        constraints = [models.UniqueConstraint(fields=["draw", "meter"], name="sample_meter_unique")]


class InspectionResult(models.Model):
    """The error of one sample meter at one test point, against its in-service MPE."""

    member = models.ForeignKey(
        SampleMeter, models.CASCADE, related_name="results", verbose_name=_("sample meter")
    )
    test_point = models.CharField(_("test point"), max_length=60)
    error_percent = models.FloatField(_("error (%)"))
    mpe_percent = models.FloatField(_("in-service MPE (%)"))
    conforming = models.BooleanField(_("conforming"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150)

    class Meta:
        ordering = ["member", "test_point"]
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        constraints = [
            models.UniqueConstraint(fields=["member", "test_point"], name="result_point_unique"),
            models.CheckConstraint(condition=Q(mpe_percent__gt=0), name="result_mpe_positive"),
        ]
