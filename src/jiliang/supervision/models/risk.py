"""Risk screening: inspection campaigns (双随机 draws with stored seeds), findings, follow-up."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiliang.registry.models import District, Instrument, InstrumentCategory
from jiliang.supervision.choices import FindingOutcome, FollowUp


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(District, models.PROTECT, null=True, blank=True, verbose_name=_("district"))
    category = models.ForeignKey(
        InstrumentCategory, models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveIntegerField(_("instruments to inspect"))
    high_risk = models.PositiveIntegerField(_("taken from the top of the risk list"), default=0)
    selected = models.JSONField(_("selected instruments"), default=list)
    scores = models.JSONField(_("risk scores at selection"), default=dict)
    created_on = models.DateField(_("created on"))
    created_by = models.CharField(_("created by"), max_length=150)

    class Meta:
        ordering = ["-created_on", "id"]
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="findings", verbose_name=_("campaign")
    )
    instrument = models.ForeignKey(
        Instrument, models.CASCADE, related_name="findings", verbose_name=_("instrument")
    )
    found_on = models.DateField(_("found on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=FindingOutcome.choices)
    months_since_verification = models.PositiveSmallIntegerField(
        _("months since last verification"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    rectification_due = models.DateField(_("rectification due"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up = models.CharField(_("follow-up outcome"), max_length=20, choices=FollowUp.choices, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "instrument"], name="finding_once_per_campaign"),
        ]
