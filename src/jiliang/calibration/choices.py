"""Choice lists of calibration and verification records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    CALIBRATION = "calibration", _("Calibration")  # 校准
    VERIFICATION = "verification", _("Verification")  # 检定 (legal, pass/fail)


class RecordStatus(models.TextChoices):
    """draft -> checked (核验) -> issued (批准发布) -> superseded or revoked."""

    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class Outcome(models.TextChoices):
    """What an issued record is: a calibration certificate, or for a verification either a
    verification certificate (检定证书) or a notice of failure (检定结果通知书)."""

    CALIBRATION_CERTIFICATE = "calibration_certificate", _("Calibration certificate")
    VERIFICATION_CERTIFICATE = "verification_certificate", _("Verification certificate")
    NOTICE_OF_FAILURE = "notice_of_failure", _("Notice of verification failure")


FROZEN_STATUSES = (RecordStatus.ISSUED, RecordStatus.SUPERSEDED, RecordStatus.REVOKED)
