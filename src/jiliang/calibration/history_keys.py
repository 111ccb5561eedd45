"""The natural keys a history file names (issue 5, item 5): institutions by credit code, areas and
specifications by code, standards by examination certificate number or id, instruments by
manufacturer, model and serial number, people by registration number or name, and the records
already in the database by (issuer, certificate number). Read once per import."""

from __future__ import annotations

from jiliang.calibration.models import Record
from jiliang.registry import models as m


class Lookups:
    """Natural keys of the registry, read once per kind."""

    def __init__(self) -> None:
        self.institutions = dict(m.Institution.objects.values_list("credit_code", "pk"))
        self.areas = dict(m.MeasurementArea.objects.values_list("code", "pk"))
        self.specifications = dict(m.TechnicalSpecification.objects.values_list("code", "pk"))
        self.materials = dict(m.ReferenceMaterial.objects.values_list("number", "pk"))
        self.standards = {
            **{str(pk): pk for pk in m.MeasurementStandard.objects.values_list("pk", flat=True)},
            **dict(
                m.MeasurementStandard.objects.exclude(certificate_number="").values_list(
                    "certificate_number", "pk"
                )
            ),
        }
        self.instruments = {
            (a, b, c): pk
            for a, b, c, pk in m.Instrument.objects.values_list(
                "manufacturer", "model", "serial_number", "pk"
            )
        }
        self.people: dict[tuple[int, str], list[int]] = {}
        self.registrations: dict[str, int] = {}
        for pk, inst, name, number in m.Person.objects.values_list(
            "pk", "institution_id", "name", "registration_number"
        ):
            self.people.setdefault((inst, name), []).append(pk)
            if number:
                self.registrations[number] = pk
        self.certificates: dict[tuple[int, str], int] = {
            (inst, number): pk for pk, inst, number in Record.objects.values_list("pk", "institution_id", "certificate_number")
        }  # fmt: skip
        self.numbers: dict[str, set[int]] = {}
        for inst, number in self.certificates:
            self.numbers.setdefault(number, set()).add(inst)
