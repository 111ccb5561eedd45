"""Nonconforming work opened from an impact analysis (ISO/IEC 17025:2017 7.10) and the outbox of
notifications to the owners of affected items (sent by a worker; written here in the same
transaction, so no notification is lost or sent for work that was rolled back)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiliang.registry.models import Institution, MeasurementStandard, ReferenceMaterial


class NonconformingWork(models.Model):
    standard = models.ForeignKey(
        MeasurementStandard, models.PROTECT, null=True, blank=True, verbose_name=_("measurement standard")
    )
    reference_material = models.ForeignKey(
        ReferenceMaterial, models.PROTECT, null=True, blank=True, verbose_name=_("reference material")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.CharField(_("opened by"), max_length=150)
    since = models.DateField(_("suspect since"))
    until = models.DateField(_("suspect until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    report = models.JSONField(_("impact report"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("nonconforming work")
        verbose_name_plural = _("nonconforming work")

    def __str__(self) -> str:
        return f"NCW-{self.pk}"


class Notification(models.Model):
    """One message to an owner institution, waiting in the outbox until ``sent_at`` is set."""

    work = models.ForeignKey(
        NonconformingWork, models.CASCADE, related_name="notifications", verbose_name=_("nonconforming work")
    )
    recipient = models.ForeignKey(Institution, models.PROTECT, verbose_name=_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["sent_at"], name="notification_outbox_idx")]

    def __str__(self) -> str:
        return self.subject
