"""Choice lists of the registry (NetBox's habit: one module, imported by models, forms and API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    NATIONAL_METROLOGY_INSTITUTE = "nmi", _("National metrology institute")
    LEGAL_METROLOGY_INSTITUTION = "legal", _("Legal-metrology institution")  # 法定计量检定机构
    CALIBRATION_LABORATORY = "calibration_lab", _("Calibration laboratory")
    INDUSTRIAL_METROLOGY_CENTRE = (
        "industrial_centre",
        _("Industrial metrology test centre"),
    )  # 产业计量测试中心
    PROFESSIONAL_STATION = (
        "professional_station",
        _("National professional metrology station"),
    )  # 国家专业计量站
    ENTERPRISE = "enterprise", _("Enterprise or instrument owner")
    REGULATOR = "regulator", _("Regulator")


class AuthorisationActivity(models.TextChoices):
    VERIFICATION = "verification", _("Verification")  # 检定 (legal, pass/fail)
    CALIBRATION = "calibration", _("Calibration")  # 校准
    TESTING = "testing", _("Testing")  # 检测


class Role(models.TextChoices):
    """Platform roles of a person with a login; anonymous users are the public."""

    STAFF = "staff", _("Institution staff")
    APPROVER = "approver", _("Institution approver")
    REGULATOR = "regulator", _("Regulator")
    ADMINISTRATOR = "administrator", _("Administrator")


class MetrologistLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Registered metrologist, level 1")  # 一级注册计量师
    LEVEL_2 = 2, _("Registered metrologist, level 2")  # 二级注册计量师


class StandardLevel(models.TextChoices):
    NATIONAL_PRIMARY = "national_primary", _("National primary standard")  # 计量基准
    PUBLIC = "public", _("Public measurement standard")  # 社会公用计量标准
    HIGHEST = "highest", _("Institution or enterprise highest standard")  # 部门/企事业单位最高计量标准
    WORKING = "working", _("Working standard")  # 工作计量标准


class StandardStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class VerificationForm(models.TextChoices):
    """Forms of compulsory verification, SAMR announcement 2020 No. 42 (强制检定的形式)."""

    PERIODIC = "periodic", _("Periodic verification")  # 周期检定
    FIRST_LIMITED_LIFE = (
        "first_limited_life",
        _("First verification only, limited service life"),
    )  # 只做首次强制检定，限期使用，到期轮换
    FIRST_SCRAP_WHEN_INACCURATE = (
        "first_scrap",
        _("First verification only, scrapped when inaccurate"),
    )  # 只做首次强制检定，失准报废


class InstrumentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")
    SCRAPPED = "scrapped", _("Scrapped")


class SpecificationKind(models.TextChoices):
    VERIFICATION_REGULATION = "verification_regulation", _("Verification regulation")  # 检定规程 JJG
    CALIBRATION_SPECIFICATION = "calibration_specification", _("Calibration specification")  # 校准规范 JJF
    LOCAL_SPECIFICATION = "local_specification", _("Local specification")  # 地方规程/规范 JJG(沪)/JJF(沪)
