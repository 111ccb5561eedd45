"""Use cases of compulsory verification (强制检定): filing (备案), due and overdue tracking, the
reminder outbox, the regulator's summary by district and category, and the public state."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from jiliang.errors import Conflict, InvalidInput, PermissionDenied
from jiliang.platform import audit
from jiliang.registry import policy
from jiliang.registry.choices import InstrumentStatus, Role
from jiliang.registry.models import Institution, Instrument
from jiliang.supervision import due
from jiliang.supervision.choices import Purpose, ReminderKind
from jiliang.supervision.models import CatalogueEntry, Filing, Notification
from jiliang.supervision.policy import regulates

WARN_DAYS = 30


def current_entry(instrument: Instrument) -> CatalogueEntry | None:
    return CatalogueEntry.objects.filter(version__current=True, category_id=instrument.category_id).first()


def file_instrument(
    actor: policy.Actor,
    instrument: Instrument,
    purpose: str,
    filed_on: date,
    verifier: Institution | None = None,
) -> Filing:
    """The owner files an instrument under the current catalogue; refused when it is not there."""
    if not policy.can(actor, policy.UPDATE, instrument):
        raise PermissionDenied("file instrument", f"{actor} may not file instruments of {instrument.owner}")
    entry = current_entry(instrument)
    if entry is None:
        raise InvalidInput(
            "instrument.category",
            f"{instrument.category.code} is not in the current catalogue "
            "of instruments under compulsory verification",
        )
    if purpose not in Purpose.values:
        raise InvalidInput("purpose", f"{purpose!r} is not one of {', '.join(Purpose.values)}")
    if instrument.status != InstrumentStatus.IN_SERVICE:
        raise InvalidInput("instrument.status", "only an instrument in service is filed")
    try:
        with transaction.atomic():
            filing = Filing.objects.create(
                instrument=instrument,
                entry=entry,
                purpose=purpose,
                verifier=verifier,
                filed_on=filed_on,
                filed_by=actor.username,
            )
            audit.record(
                actor=actor.username,
                actor_id=actor.user_id,
                action="file",
                object_type="supervision.filing",
                object_id=str(filing.pk),
                after={"instrument": instrument.pk, "entry": entry.pk, "purpose": purpose},
            )
    except IntegrityError as exc:
        raise Conflict(f"instrument {instrument} is already filed", "instrument") from exc
    return filing


def status_of(filing: Filing, today: date, warn_days: int = WARN_DAYS) -> dict[str, Any]:
    instrument, entry = filing.instrument, filing.entry
    interval = instrument.interval_months or entry.interval_months
    when = due.due_date(entry.form, instrument.last_verification, None, interval, entry.service_life_months)
    state = due.due_state(entry.form, instrument.last_verification is not None, when, today, warn_days)
    return {
        "form": entry.form,
        "due": when,
        "state": state,
        "days_overdue": (today - when).days if when and when < today else 0,
    }


def visible_filings(actor: policy.Actor) -> QuerySet[Filing]:
    filings = Filing.objects.filter(withdrawn_on__isnull=True).select_related(
        "instrument__category", "instrument__district", "instrument__owner__district", "entry"
    )
    instruments = policy.visible(actor, Instrument.objects.all())
    return filings.filter(instrument__in=instruments)


def due_list(
    actor: policy.Actor,
    today: date,
    states: tuple[str, ...] = ("overdue", "never_verified", "due_soon"),
    warn_days: int = WARN_DAYS,
) -> list[dict[str, Any]]:
    rows = []
    for filing in visible_filings(actor):
        s = status_of(filing, today, warn_days)
        if s["state"] in states:
            rows.append({"filing": filing, "instrument": filing.instrument, **s})
    return sorted(rows, key=lambda r: (r["due"] or date.min, r["instrument"].pk))


_KIND = {
    "overdue": ReminderKind.OVERDUE,
    "due_soon": ReminderKind.DUE_SOON,
    "never_verified": ReminderKind.NEVER_VERIFIED,
}


def queue_reminders(today: date, warn_days: int = WARN_DAYS) -> int:
    """Put one reminder per filing, state and due date into the outbox (running it twice adds none)."""
    existing = set(Notification.objects.values_list("filing_id", "kind", "due_on"))
    new = []
    for row in due_list(policy.SYSTEM, today, warn_days=warn_days):
        key = (row["filing"].pk, _KIND[row["state"]].value, row["due"])
        if key in existing:
            continue
        instrument = row["instrument"]
        message = f"{instrument}: {_KIND[row['state']].label}" + (f" ({row['due']})" if row["due"] else "")
        new.append(
            Notification(
                filing=row["filing"],
                recipient_id=instrument.owner_id,
                kind=key[1],
                due_on=row["due"],
                message=str(message)[:500],
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(new)
    return len(new)


def outbox(actor: policy.Actor) -> QuerySet[Notification]:
    notes = Notification.objects.select_related("filing__instrument", "recipient").order_by(
        "-created_at", "id"
    )
    if actor.is_admin or (actor.role == Role.REGULATOR and actor.district_id is None):
        return notes
    if actor.role == Role.REGULATOR:
        return notes.filter(filing__instrument__in=policy.visible(actor, Instrument.objects.all()))
    return notes.filter(recipient_id=actor.institution_id) if actor.institution_id else notes.none()


def regulator_summary(actor: policy.Actor, today: date) -> list[dict[str, Any]]:
    """Counts of filed instruments per district and category by state (a regulator's view)."""
    if not regulates(actor):
        raise PermissionDenied("view the regulator summary", "only regulators may")
    counts: Counter[tuple[str, str, str]] = Counter()
    for filing in visible_filings(actor):
        inst = filing.instrument
        district = inst.district or inst.owner.district
        key = (str(district) if district else "", inst.category.code, status_of(filing, today)["state"])
        counts[key] += 1
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for (district_name, category, state), n in counts.items():
        row = table.setdefault(
            (district_name, category),
            {"district": district_name, "category": category, "total": 0, **dict.fromkeys(due.STATES, 0)},
        )
        row[state] += n
        row["total"] += n
    return [table[k] for k in sorted(table)]


def public_state(serial_number: str, today: date) -> list[dict[str, Any]]:
    """The public view of a compulsory-verification instrument by serial number."""
    serial = serial_number.strip()
    if not serial:
        raise InvalidInput("serial_number", "is required")
    out = []
    for filing in Filing.objects.filter(
        instrument__serial_number=serial, withdrawn_on__isnull=True
    ).select_related("instrument__category", "entry"):
        s = status_of(filing, today)
        inst = filing.instrument
        out.append(
            {
                "serial_number": inst.serial_number,
                "manufacturer": inst.manufacturer,
                "model": inst.model,
                "category": inst.category.name_zh,
                "form": s["form"],
                "due": s["due"],
                "state": s["state"],
                "last_verification": inst.last_verification,
            }
        )
    return out
