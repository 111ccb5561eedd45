"""What the public instrument lookup shows from supervision (issue 7, items 1 and 2): the
compulsory-verification state of a filed instrument, and the fleet, lot, extension decision and
new due date of an electricity meter (an extension is not marked on the meter, § 35 MessEV
practice, so the lookup is where a consumer sees it).

:func:`meter_extensions` is the one place that reads a meter's extension state; the fleet services
may change how lots are stored, and only this adapter then needs to follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiliang.registry.choices import VerificationForm
from jiliang.supervision import compulsory, services
from jiliang.supervision.choices import MeterStatus, Outcome
from jiliang.supervision.models import Filing

STATE_LABELS = {
    "current": _("In date"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "never_verified": _("Never verified"),
    "no_due_date": _("No due date (first verification only)"),
}


def meter_extensions(serial_number: str) -> list[dict[str, Any]]:
    """The meters of the supervised fleets with this serial number and their extension state."""
    rows = services.lookup_meter(serial_number)
    for row in rows:
        row["lot_outcome_label"] = Outcome(row["lot_outcome"]).label if row["lot_outcome"] else None
        row["status_label"] = MeterStatus(row["status"]).label
    return rows


def compulsory_states(instrument_ids: Iterable[int], today: date) -> dict[int, dict[str, Any]]:
    """Compulsory-verification state of each filed (and not withdrawn) instrument, by instrument id."""
    filings = Filing.objects.filter(
        instrument_id__in=list(instrument_ids), withdrawn_on__isnull=True
    ).select_related("instrument", "entry")
    states = {}
    for filing in filings:
        status = compulsory.status_of(filing, today)
        states[filing.instrument_id] = status | {
            "state_label": STATE_LABELS.get(status["state"], status["state"]),
            "purpose_label": filing.get_purpose_display(),
            "form_label": VerificationForm(status["form"]).label,
            "filed_on": filing.filed_on,
        }
    return states
