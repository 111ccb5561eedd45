"""Choice lists of supervision."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeterStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    ROTATE = "rotate", _("To be rotated")  # 轮换: the whole lot is replaced
    REPLACED = "replaced", _("Replaced")


class LotStatus(models.TextChoices):
    FORMED = "formed", _("Formed")
    NOTIFIED = "notified", _("Authority notified")
    TESTING = "testing", _("Under test")
    DECIDED = "decided", _("Decided")


class Outcome(models.TextChoices):
    EXTEND = "extend", _("Extend")
    ROTATE = "rotate", _("Rotate the whole lot")


class RuleKind(models.TextChoices):
    LQ = "lq", _("ISO 2859-2 limiting-quality plan (JJF(沪)57-2018)")
    VARIABLES = "variables", _("ISO 3951-1 variables plan")
    # xgettext:no-python-format
    CONFORMITY = "conformity", _("At least 95 % conforming at 95 % confidence (§ 35 MessEV)")


class Purpose(models.TextChoices):
    """The four uses that make an instrument subject to compulsory verification (计量法 第九条)."""

    TRADE = "trade", _("Trade settlement")  # 贸易结算
    SAFETY = "safety", _("Safety protection")  # 安全防护
    HEALTH = "health", _("Medical and health care")  # 医疗卫生
    ENVIRONMENT = "environment", _("Environmental monitoring")  # 环境监测


class Consequence(models.TextChoices):
    """How bad a wrong reading is, for risk screening (highest first)."""

    SAFETY = "safety", _("Safety of life")
    ENFORCEMENT = "enforcement", _("Law enforcement")
    HEALTH = "health", _("Health")
    ENVIRONMENT = "environment", _("Environment")
    TRADE = "trade", _("Trade")
    OTHER = "other", _("Other")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Verification due soon")
    OVERDUE = "overdue", _("Verification overdue")
    NEVER_VERIFIED = "never_verified", _("Never verified")


class FindingOutcome(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    NONCONFORMING = "nonconforming", _("Nonconforming")
    OVERDUE = "overdue", _("Verification overdue")
    NOT_FILED = "not_filed", _("Not filed")


class FollowUp(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    NOT_RECTIFIED = "not_rectified", _("Not rectified")
