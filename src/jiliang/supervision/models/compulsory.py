"""Compulsory verification (强制检定): the versioned catalogue, owners' filings (备案) and the
reminder outbox."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiliang.registry.choices import VerificationForm
from jiliang.registry.models import Institution, Instrument, InstrumentCategory
from jiliang.supervision.choices import Consequence, Purpose, ReminderKind


class CatalogueVersion(models.Model):
    """One edition of the catalogue of instruments under compulsory administration."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        constraints = [
            models.UniqueConstraint(
                fields=["current"], condition=Q(current=True), name="one_current_catalogue"
            )
        ]

    def __str__(self) -> str:
        return self.code


class CatalogueEntry(models.Model):
    """A row of a catalogue version: category, form of compulsory verification, period or life."""

    version = models.ForeignKey(
        CatalogueVersion, models.CASCADE, related_name="entries", verbose_name=_("version")
    )
    category = models.ForeignKey(
        InstrumentCategory, models.PROTECT, related_name="+", verbose_name=_("category")
    )
    form = models.CharField(_("verification form"), max_length=32, choices=VerificationForm.choices)
    scope = models.CharField(_("scope of compulsory verification"), max_length=300, blank=True)
    interval_months = models.PositiveSmallIntegerField(
        _("verification interval (months)"), null=True, blank=True
    )
    service_life_months = models.PositiveSmallIntegerField(_("service life (months)"), null=True, blank=True)
    consequence = models.CharField(_("consequence class"), max_length=20, choices=Consequence.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "category__code"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        constraints = [models.UniqueConstraint(fields=["version", "category"], name="catalogue_entry_unique")]


class Filing(models.Model):
    """An owner's filing (备案) of an instrument subject to compulsory verification."""

    instrument = models.OneToOneField(
        Instrument, models.CASCADE, related_name="filing", verbose_name=_("instrument")
    )
    entry = models.ForeignKey(
        CatalogueEntry, models.PROTECT, related_name="filings", verbose_name=_("catalogue entry")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    verifier = models.ForeignKey(
        Institution,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verification body"),
    )
    filed_on = models.DateField(_("filed on"))
    filed_by = models.CharField(_("filed by"), max_length=150)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")


class Notification(models.Model):
    """The reminder outbox: one row per filing, kind and due date; a sender marks ``sent_at``."""

    filing = models.ForeignKey(Filing, models.CASCADE, related_name="notifications", verbose_name=_("filing"))
    recipient = models.ForeignKey(Institution, models.CASCADE, related_name="+", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["filing", "kind", "due_on"], name="notification_once"),
        ]
