"""Web forms of the registry. They only parse and render; saving goes through
:mod:`jiliang.registry.services` (permission, validation and audit), whose errors the view puts
back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.registry import models as m
from jiliang.registry import policy
from jiliang.registry.choices import Role

_OWNER_FIELDS = ("owner", "producer", "institution")


class RegistryForm(forms.ModelForm):
    """A model form that offers an actor only the institutions they may write for."""

    def __init__(self, *args: Any, actor: policy.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.DateInput):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if name in _OWNER_FIELDS and not (actor.is_admin or actor.role == Role.REGULATOR):
                field.queryset = m.Institution.objects.filter(pk=actor.institution_id or 0)  # type: ignore[attr-defined]
                field.initial = actor.institution_id

    def add_service_errors(self, error: InvalidInput) -> None:
        """Show a service's ``InvalidInput`` (field ``model.name``) beside the field it names."""
        errors = error.errors if isinstance(error, InvalidInputs) else [error]
        for item in errors:
            name = item.field.rsplit(".", 1)[-1]
            self.add_error(name if name in self.fields else None, item.reason)


class InstitutionForm(RegistryForm):
    class Meta:
        model = m.Institution
        fields = [
            "name",
            "kind",
            "credit_code",
            "district",
            "address",
            "cnas_number",
            "accreditation_scope",
            "accreditation_valid_until",
        ]
        widgets = {"accreditation_scope": forms.Textarea(attrs={"rows": 3})}


class PersonForm(RegistryForm):
    class Meta:
        model = m.Person
        fields = [
            "institution",
            "name",
            "role",
            "metrologist_level",
            "registration_number",
            "registration_valid_until",
            "authorised_categories",
        ]
        widgets = {"authorised_categories": forms.CheckboxSelectMultiple}


class MeasurementStandardForm(RegistryForm):
    class Meta:
        model = m.MeasurementStandard
        fields = [
            "name",
            "level",
            "owner",
            "area",
            "quantity",
            "measuring_range",
            "expanded_uncertainty",
            "coverage_factor",
            "uncertainty_unit",
            "accuracy_class",
            "mpe",
            "certificate_number",
            "certificate_valid_until",
            "status",
        ]


class ReferenceMaterialForm(RegistryForm):
    class Meta:
        model = m.ReferenceMaterial
        fields = [
            "number",
            "name",
            "producer",
            "area",
            "property",
            "certified_value",
            "expanded_uncertainty",
            "coverage_factor",
            "unit",
            "expiry",
        ]


class InstrumentForm(RegistryForm):
    class Meta:
        model = m.Instrument
        fields = [
            "category",
            "manufacturer",
            "model",
            "serial_number",
            "owner",
            "district",
            "location",
            "accuracy_class",
            "mpe",
            "status",
            "interval_months",
            "last_verification",
            "next_due",
        ]


class TechnicalSpecificationForm(RegistryForm):
    class Meta:
        model = m.TechnicalSpecification
        fields = ["code", "title", "kind", "area", "default_interval_months", "effective_from"]
