"""Use cases of calibration and verification records (issue 5, items 1 and 2).

Lifecycle: draft -> checked (核验) -> issued (批准发布) -> superseded or revoked. Every step checks
the actor's permission (:mod:`jiliang.calibration.policy`), validates, writes and appends an audit
entry in one savepoint. An issued record never changes: these services refuse, and a database
trigger (migration 0002) refuses too, whoever writes. Refusals are worded in the active language
(gettext with named placeholders); field names stay as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jiliang.calibration import certificates, policy
from jiliang.calibration.choices import FROZEN_STATUSES, Outcome, RecordKind, RecordStatus
from jiliang.calibration.decisions import Point, decide
from jiliang.calibration.guards import check_issue
from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import Conflict, InvalidInput
from jiliang.registry import services as registry_services
from jiliang.registry.policy import Actor

_RECORD_FIELDS = {
    "kind", "certificate_number", "institution", "institution_id", "instrument", "instrument_id",
    "standard", "standard_id", "area", "area_id", "specification", "specification_id", "performer",
    "performer_id", "checker", "checker_id", "calibration_date", "valid_until", "temperature",
    "humidity", "conditions", "decision_rule", "cipm_mra_reference", "supersedes", "supersedes_id",
}  # fmt: skip
# A record's status inside a sentence ("record X is revoked; ..."), lower case in English.
_STATUS_IN_SENTENCE = {
    RecordStatus.DRAFT: pgettext_lazy("record status in a sentence", "draft"),
    RecordStatus.CHECKED: pgettext_lazy("record status in a sentence", "checked"),
    RecordStatus.ISSUED: pgettext_lazy("record status in a sentence", "issued"),
    RecordStatus.SUPERSEDED: pgettext_lazy("record status in a sentence", "superseded"),
    RecordStatus.REVOKED: pgettext_lazy("record status in a sentence", "revoked"),
}
_RESULT_FIELDS = {
    "quantity", "unit", "nominal_value", "measured_value", "as_found_value", "expanded_uncertainty",
    "coverage_factor", "coverage_probability", "tolerance_lower", "tolerance_upper",
}  # fmt: skip


def _audit(actor: Actor, action: str, obj: Any, before: Any, after: Any) -> None:
    registry_services._audit(actor, action, obj, before, after, obj.pk)


def _only(data: Mapping[str, Any], allowed: set[str], prefix: str) -> dict[str, Any]:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"{prefix}.{unknown[0]}", _("no such field, or not settable here"))
    return dict(data)


def _require_draft(record: Record) -> None:
    if record.status != RecordStatus.DRAFT:
        reason = _("record %(record)s is %(status)s; only a draft may change")
        raise Conflict(reason % {"record": record, "status": record.get_status_display()}, "status")


def create_record(actor: Actor, data: Mapping[str, Any]) -> Record:
    """A new draft record."""
    record = Record(**_only(data, _RECORD_FIELDS, "record"))
    policy.require(actor, policy.WRITE, record)
    registry_services._validate(record)
    _parse_rule(record.decision_rule)
    with transaction.atomic():
        record.save()
        _audit(actor, "create", record, None, registry_services.snapshot(record))
    return record


def update_record(actor: Actor, record: Record, changes: Mapping[str, Any]) -> Record:
    policy.require(actor, policy.WRITE, record)
    _require_draft(record)
    before = registry_services.snapshot(record)
    for name, value in _only(changes, _RECORD_FIELDS, "record").items():
        setattr(record, name, value)
    policy.require(actor, policy.WRITE, record)
    registry_services._validate(record)
    _parse_rule(record.decision_rule)
    with transaction.atomic():
        record.save()
        _audit(actor, "update", record, before, registry_services.snapshot(record))
    return record


def _parse_rule(rule: str) -> None:
    from jiliang.conformity import parse_rule

    try:
        parse_rule(rule)
    except InvalidInput as exc:
        raise InvalidInput("record.decision_rule", exc.reason) from None


def _point(result: Result) -> Point:
    def f(value: Any) -> float | None:
        return None if value is None else float(value)

    return Point(
        nominal=float(result.nominal_value),
        measured=float(result.measured_value),
        expanded_uncertainty=float(result.expanded_uncertainty),
        coverage_factor=float(result.coverage_factor),
        lower=f(result.tolerance_lower),
        upper=f(result.tolerance_upper),
    )


def _decide(result: Result, rule: str) -> None:
    """Fill the statements of ``result`` (as left, and as found when given)."""
    if not result.has_tolerance:
        result.decision, result.accepted, result.as_found_decision = "", None, ""
        return
    point = _point(result)
    result.decision, result.accepted = decide(point, rule)
    if result.as_found_value is not None:
        as_found = dataclasses.replace(point, measured=float(result.as_found_value))
        result.as_found_decision = decide(as_found, rule)[0]


def add_result(
    actor: Actor, record: Record, data: Mapping[str, Any], usages: Sequence[Mapping[str, Any]]
) -> Result:
    """Add a measurement point with the standards / reference materials used at it. Each usage
    is ``{"standard": ..., "certificate": ...}`` or ``{"reference_material": ...}``."""
    policy.require(actor, policy.WRITE, record)
    _require_draft(record)
    position = record.results.count() + 1
    result = Result(record=record, position=position, **_only(data, _RESULT_FIELDS, "result"))
    registry_services._validate(result)
    _decide(result, record.decision_rule)
    rows = [
        Usage(record=record, result=result, **_only(u, _USAGE_FIELDS, f"usages[{i}]"))
        for i, u in enumerate(usages)
    ]
    with transaction.atomic():
        result.save()
        for row in rows:
            row.result = result
            registry_services._validate(row)
            row.save()
        after = registry_services.snapshot(result) | {"usages": [registry_services.snapshot(u) for u in rows]}
        _audit(actor, "create", result, None, after)
    return result


_USAGE_FIELDS = {
    "standard",
    "standard_id",
    "reference_material",
    "reference_material_id",
    "certificate",
    "certificate_id",
}


def check_record(actor: Actor, record: Record) -> Record:
    """The checker (核验员) confirms a draft: draft -> checked."""
    _require_draft(record)
    if record.checker_id is None:
        raise InvalidInput("checker", _("name a checker before checking"))
    if record.checker_id == record.performer_id:
        raise InvalidInput("checker", _("the checker must be a different person from the performer"))
    policy.require(actor, policy.CHECK, record)
    return _transition(actor, record, "check", status=RecordStatus.CHECKED)


def return_to_draft(actor: Actor, record: Record) -> Record:
    """The checker or an approver sends a checked record back for correction."""
    if record.status != RecordStatus.CHECKED:
        raise Conflict(_("record %(record)s is not checked") % {"record": record}, "status")
    if not (policy.can(actor, policy.CHECK, record) or policy.can(actor, policy.ISSUE, record)):
        policy.require(actor, policy.ISSUE, record)
    return _transition(actor, record, "return", status=RecordStatus.DRAFT)


def issue_record(
    actor: Actor,
    record: Record,
    *,
    min_uncertainty_ratio: float,
    approver: Any = None,
    on: date | None = None,
) -> Record:
    """Approve and issue a checked record after the guards of :mod:`jiliang.calibration.guards`;
    a record that ``supersedes`` another marks that one superseded. The DCC is signed and stored
    now if the institution has a signing key (:func:`jiliang.calibration.certificates.sign_at_issue`)."""
    if record.status != RecordStatus.CHECKED:
        raise Conflict(
            _("record %(record)s must be checked before it is issued") % {"record": record}, "status"
        )
    policy.require(actor, policy.ISSUE, record)
    check_issue(record, min_uncertainty_ratio=min_uncertainty_ratio)
    old = record.supersedes
    if old is not None:
        problems = supersession_problems(old, record, issue_date=on or date.today())
        if problems:
            raise Conflict(problems[0], "supersedes")
    with transaction.atomic():
        issued = _transition(
            actor,
            record,
            "issue",
            status=RecordStatus.ISSUED,
            outcome=_outcome(record),
            issue_date=on or date.today(),
            approver=approver if approver is not None else _approver_of(actor),
        )
        if old is not None:
            supersede(actor, old, issued)
        certificates.sign_at_issue(actor, issued)  # the DCC, when the institution has a key
    return issued


def supersession_problems(old: Record, new: Record, *, issue_date: date | None = None) -> list[str]:
    """Why ``new`` may not supersede ``old`` (empty when it may). A replacement certificate is the
    issuing laboratory's new report on the same item that identifies the original it replaces
    (ISO/IEC 17025:2017 7.8.8.3); only an issued original is replaced (a revoked one was withdrawn,
    a superseded one already replaced), and the replacement is not dated before it. The history
    import checks the same rules before writing (:mod:`jiliang.calibration.history_links`)."""
    problems = []
    if old.status == RecordStatus.SUPERSEDED:
        problems.append(_("record %(record)s is already superseded") % {"record": old})
    elif old.status != RecordStatus.ISSUED:
        status = _STATUS_IN_SENTENCE[RecordStatus(old.status)]
        reason = _("record %(record)s is %(status)s; only an issued record is superseded")
        problems.append(reason % {"record": old, "status": status})
    if old.institution_id != new.institution_id:
        reason = _("record %(record)s is another issuer's certificate; a laboratory supersedes its own")
        problems.append(reason % {"record": old})
    if (old.instrument_id, old.standard_id) != (new.instrument_id, new.standard_id):
        problems.append(_("record %(record)s is of another item") % {"record": old})
    if new.calibration_date < old.calibration_date:
        reason = _("calibration_date %(date)s is before that of record %(record)s (%(earlier)s)")
        problems.append(
            reason % {"date": new.calibration_date, "record": old, "earlier": old.calibration_date}
        )
    issued_on = issue_date or new.issue_date
    if issued_on and old.issue_date and issued_on < old.issue_date:
        reason = _("issue_date %(date)s is before that of record %(record)s (%(earlier)s)")
        problems.append(reason % {"date": issued_on, "record": old, "earlier": old.issue_date})
    return problems


def supersede(actor: Actor, old: Record, new: Record) -> Record:
    """Mark ``old`` superseded by ``new``, which names it in ``supersedes``; audited as action
    ``supersede`` on ``old``. The caller has checked that the actor may issue ``new``
    (:func:`issue_record`) or import it (the history import), in the same transaction."""
    if new.supersedes_id != old.pk:
        reason = _("%(record)s does not name %(old)s as the record it supersedes")
        raise Conflict(reason % {"record": new, "old": old}, "supersedes")
    problems = supersession_problems(old, new)
    if problems:
        raise Conflict(problems[0], "supersedes")
    return _transition(actor, old, "supersede", status=RecordStatus.SUPERSEDED)


def revoke_record(actor: Actor, record: Record, reason: str) -> Record:
    if record.status != RecordStatus.ISSUED:
        message = _("record %(record)s is %(status)s; only an issued record is revoked")
        raise Conflict(message % {"record": record, "status": record.get_status_display()}, "status")
    if not reason.strip():
        raise InvalidInput("reason", _("say why the record is revoked"))
    policy.require(actor, policy.ISSUE, record)
    return _transition(actor, record, "revoke", status=RecordStatus.REVOKED, revocation_reason=reason.strip())


def _outcome(record: Record) -> str:
    if record.kind == RecordKind.CALIBRATION:
        return Outcome.CALIBRATION_CERTIFICATE
    failed = record.results.filter(accepted=False).exists()
    return Outcome.NOTICE_OF_FAILURE if failed else Outcome.VERIFICATION_CERTIFICATE


def _approver_of(actor: Actor) -> Any:
    from jiliang.registry.models import Person

    return Person.objects.filter(user_id=actor.user_id).first() if actor.user_id else None


def _transition(actor: Actor, record: Record, action: str, **changes: Any) -> Record:
    before = registry_services.snapshot(record)
    Record.objects.filter(pk=record.pk).update(**changes)
    for name, value in changes.items():
        setattr(record, name, value)
    _audit(actor, action, record, before, registry_services.snapshot(record))
    return record


def is_frozen(record: Record) -> bool:
    return record.status in FROZEN_STATUSES
