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
