"""Institutions, their authorisations, and people with their registered-metrologist qualification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiliang.registry.choices import AuthorisationActivity, InstitutionKind, MetrologistLevel, Role
from jiliang.registry.models.base import (
    FieldConstraints,
    cnas_number_validator,
    credit_code_validator,
    field_check,
    field_unique,
)
from jiliang.registry.models.catalogue import (
    District,
    InstrumentCategory,
    MeasurementArea,
    TechnicalSpecification,
)


class Institution(FieldConstraints, models.Model):
    """An organisation in the region's metrology system, from the national institute to an
    enterprise that owns instruments, and the regulators themselves."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[credit_code_validator],
    )
    district = models.ForeignKey(
        District,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Accreditation (e.g. CNAS to ISO/IEC 17025).
    cnas_number = models.CharField(
        _("CNAS accreditation number"),
        max_length=20,
        blank=True,
        validators=[cnas_number_validator],
    )
    accreditation_scope = models.TextField(_("accreditation scope"), blank=True)
    accreditation_valid_until = models.DateField(_("accreditation valid until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            field_unique(
                "cnas_number",
                ~Q(cnas_number=""),
                "institution_cnas_unique",
                _("Another institution already has this CNAS number."),
            ),
            field_check(
                Q(cnas_number="") | Q(accreditation_valid_until__isnull=False),
                "institution_accreditation_has_validity",
                "accreditation_valid_until",
                _("A CNAS accreditation needs the date until which it is valid."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Authorisation(FieldConstraints, models.Model):
    """What an institution may verify, calibrate or test, and until when (授权项目)."""

    institution = models.ForeignKey(
        Institution, models.CASCADE, related_name="authorisations", verbose_name=_("institution")
    )
    activity = models.CharField(_("activity"), max_length=20, choices=AuthorisationActivity.choices)
    area = models.ForeignKey(MeasurementArea, models.PROTECT, verbose_name=_("measurement area"))
    category = models.ForeignKey(
        InstrumentCategory, models.PROTECT, null=True, blank=True, verbose_name=_("instrument category")
    )
    specification = models.ForeignKey(
        TechnicalSpecification,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("technical specification"),
    )
    items = models.CharField(_("items"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["institution", "area", "valid_from"]
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        constraints = [
            field_check(
                Q(valid_until__gte=models.F("valid_from")),
                "authorisation_valid_range",
                "valid_until",
                _("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_activity_display()} · {self.area}"


class Person(FieldConstraints, models.Model):
    """Someone working in an institution; optionally a platform user with one role and optionally
    a registered metrologist (注册计量师) with a registration number and authorised items."""

    institution = models.ForeignKey(
        Institution, models.PROTECT, related_name="people", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    metrologist_level = models.PositiveSmallIntegerField(
        _("registered metrologist level"), choices=MetrologistLevel.choices, null=True, blank=True
    )
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registration_valid_until = models.DateField(_("registration valid until"), null=True, blank=True)
    authorised_categories = models.ManyToManyField(
        InstrumentCategory, blank=True, related_name="metrologists", verbose_name=_("authorised items")
    )

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            field_unique(
                "registration_number",
                ~Q(registration_number=""),
                "person_registration_unique",
                _("Another person already has this registration number."),
            ),
            # A registered metrologist has a level, a registration number and its validity; others none.
            field_check(
                (
                    Q(metrologist_level__isnull=True)
                    & Q(registration_number="")
                    & Q(registration_valid_until__isnull=True)
                )
                | (
                    Q(metrologist_level__isnull=False, metrologist_level__in=[1, 2])
                    & ~Q(registration_number="")
                    & Q(registration_valid_until__isnull=False)
                ),
                "person_qualification_complete",
                "registration_number",
                _(
                    "A registered metrologist needs a level, a registration number and its validity together; others none of them."
                ),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_registered_metrologist(self) -> bool:
        return self.metrologist_level is not None
