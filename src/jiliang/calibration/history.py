"""Import a laboratory's history of calibration and verification records (issue 5, item 5):
JSON Lines, one record per line with its results and the standards used per point, or CSV, one
row per point (:mod:`.history_csv`); see docs/import.md, "Calibration and verification records".

Like the registry import: every line is checked first and nothing is written if any is wrong,
each error naming ``line N: field``; then everything is written in one transaction and audited as
one entry with the file's SHA-256. Imported records are issued records (or superseded/revoked
when the file says so): the traceability chain and the impact analysis read them like any other.
Statements are computed by :mod:`jiliang.conformity` with the record's decision rule; a statement
given in the file must agree. The issue-time guards (:mod:`.guards`) are run on every imported
record and reported, not enforced: a history records what happened, and a guard that fails
(an expired certificate, a missing qualification in the registry) is a finding to review, which
the chain's verdict also shows. Constraints of the database (checker ≠ performer, valid until
not before the calibration date, unique numbers per issuer) are errors. A record that
``supersedes`` a certificate (in the database or the file) marks it superseded through
:func:`jiliang.calibration.services.supersede`, audited, in the import's transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.calibration import history_csv, history_links, services
from jiliang.calibration.choices import Outcome, RecordKind, RecordStatus
from jiliang.calibration.guards import check_issue
from jiliang.calibration.history_check import MAX_ERRORS, RECORD_TYPE, Checker, Row, lines
from jiliang.calibration.history_values import at_line
from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import Conflict, InvalidInput, InvalidInputs, PermissionDenied
from jiliang.platform import audit
from jiliang.registry import policy
from jiliang.registry.bulk.load import digest
from jiliang.registry.choices import Role

BATCH = 5000
NOTHING_IMPORTED = gettext_lazy("nothing was imported")  # the last line of a refused import


class ImportNotPermitted(PermissionDenied):
    """Only staff, approvers and administrators import calibration records."""

    def __init__(self, username: str) -> None:
        super().__init__("import calibration records", username)
        self.username = username

    def __str__(self) -> str:
        return _("%(user)s may not import calibration records (staff, approvers and administrators may)") % {
            "user": self.username
        }


@dataclass(frozen=True)
class HistoryResult:
    counts: dict[str, int]
    sha256: str
    findings: list[str] = field(default_factory=list)  # guard findings, "line N: field: reason"
    finding_count: int = 0

    @property
    def total(self) -> int:
        return self.counts.get("record", 0)


def file_format(path: Path, fmt: str | None = None) -> str:
    return fmt or {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(path.suffix.lower(), "")


def is_history(path: Path, fmt: str | None = None, record_type: str = "") -> bool:
    """Whether ``path`` holds calibration records: ``record_type`` says so, or a JSON Lines file
    whose first object has ``"type": "record"``, or a CSV file with the history columns."""
    fmt = file_format(path, fmt)
    if record_type == RECORD_TYPE:
        return True
    if fmt == "csv":
        return history_csv.is_history(path)
    if fmt != "jsonl":
        return False
    try:
        with path.open(encoding="utf-8-sig") as fh:
            for text in fh:
                if text.strip():
                    first = json.loads(text)
                    return isinstance(first, dict) and first.get("type") == RECORD_TYPE
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def import_history(
    path: Path,
    *,
    actor: policy.Actor = policy.SYSTEM,
    min_uncertainty_ratio: float = 3.0,
    fmt: str | None = None,
) -> HistoryResult:
    """Check every record (JSON Lines, or CSV when ``fmt`` or the suffix says so), then write all
    as issued (or superseded / revoked) in one transaction with one audit entry, mark the
    certificates they supersede; run the issue-time guards and report their findings."""
    if not (actor.is_admin or actor.role in (Role.STAFF, Role.APPROVER)):
        raise ImportNotPermitted(actor.username)
    checker = Checker(actor)
    if file_format(path, fmt) == "csv":
        for line, data, place in history_csv.records(path):
            checker.add(line, data, place)
    else:
        for line, data in lines(path):
            checker.add(line, data)
    if not checker.error_count:
        history_links.resolve(checker)
    _permissions(checker)
    if checker.error_count:
        raise _refused(checker)
    sha = digest(path)
    try:
        with transaction.atomic():
            ids = _write(checker)
            _supersede(checker, ids)
            findings, count = _guards(checker.rows, ids, min_uncertainty_ratio)
            counts = _counts(checker.rows)
            audit.record(
                actor=actor.username, actor_id=actor.user_id, action="import", object_type="calibration.import",
                object_id=sha[:16], before=None,
                after={"file": path.name, "sha256": sha, "counts": counts, "guard_findings": count},
            )  # fmt: skip
    except IntegrityError as exc:
        reason = _("the database refused the import, nothing was written: %(error)s") % {"error": exc}
        raise Conflict(reason) from exc
    return HistoryResult(counts, sha, findings, count)


def _refused(checker: Checker) -> InvalidInputs:
    """The errors kept, and a last one saying how many more there were."""
    errors = list(checker.errors)
    more = checker.error_count - len(errors)
    if more > 0:
        reason = _("... and %(n)s more errors") % {"n": more}
        errors.append(InvalidInput("", reason))
    return InvalidInputs(errors)


def _permissions(checker: Checker) -> None:
    """Staff and approvers import their own institution's records only."""
    actor = checker.actor
    if actor.is_admin:
        return
    for row in checker.rows:
        if row.fields["institution_id"] != actor.institution_id:
            reason = _("%(user)s may import only their own institution's records") % {"user": actor.username}
            checker.report(row.place, "issuer", reason)


def _counts(rows: list[Row]) -> dict[str, int]:
    counts = Counter({"record": len(rows), "result": sum(len(r.results) for r in rows)})
    counts["standard_used"] = sum(len(u) for r in rows for u in r.usages)
    counts |= Counter(f"status:{r.fields['status']}" for r in rows)
    counts["supersedes"] = sum(r.supersedes_key is not None for r in rows)
    return {name: n for name, n in counts.items() if n or name != "supersedes"}


def _write(checker: Checker) -> list[int]:
    """Drafts first (the freeze triggers allow writing their results), then the statuses."""
    rows, ids = checker.rows, []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        records = Record.objects.bulk_create(
            Record(**{k: v for k, v in r.fields.items() if k not in ("status", "revocation_reason")}, outcome=_outcome(r))
            for r in chunk
        )  # fmt: skip
        ids += [r.pk for r in records]
    keys = {**checker.keys.certificates}
    keys.update(
        {
            (r.fields["institution_id"], r.fields["certificate_number"]): pk
            for r, pk in zip(rows, ids, strict=True)
        }
    )
    for start in range(0, len(rows), BATCH):
        pairs = list(zip(rows[start : start + BATCH], ids[start : start + BATCH], strict=True))
        results = Result.objects.bulk_create(
            Result(record_id=pk, **res) for row, pk in pairs for res in row.results
        )
        used: list[Usage] = []
        found = iter(results)
        for row, pk in pairs:
            for usages in row.usages:
                result = next(found)
                used += [_usage(pk, result, u, keys) for u in usages]
        Usage.objects.bulk_create(used)
    _link(rows, keys, ids)
    replaced = {r.supersedes_key for r in rows}
    by_status: dict[tuple[str, str], list[int]] = {}
    for row, pk in zip(rows, ids, strict=True):
        # a record superseded in the file is issued first; _supersede then moves it on, audited
        key = (row.fields["institution_id"], row.fields["certificate_number"])
        status = RecordStatus.ISSUED if key in replaced else row.fields["status"]
        by_status.setdefault((status, row.fields["revocation_reason"]), []).append(pk)
    for (status, reason), pks in by_status.items():
        for start in range(0, len(pks), BATCH):
            Record.objects.filter(pk__in=pks[start : start + BATCH]).update(
                status=status, revocation_reason=reason
            )
    return ids


def _link(rows: list[Row], keys: dict[tuple[int, str], int], ids: list[int]) -> None:
    """``supersedes`` of the drafts (a column the freeze triggers allow only before issue)."""
    linked = [
        Record(pk=pk, supersedes_id=keys[row.supersedes_key])
        for row, pk in zip(rows, ids, strict=True)
        if row.supersedes_key is not None
    ]
    Record.objects.bulk_update(linked, ["supersedes_id"], batch_size=BATCH)


def _supersede(checker: Checker, ids: list[int]) -> None:
    """Each superseded certificate through the lifecycle service: checked again, audited."""
    new = [pk for row, pk in zip(checker.rows, ids, strict=True) if row.supersedes_key is not None]
    if not new:
        return
    records = Record.objects.in_bulk(new)
    olds = Record.objects.in_bulk([r.supersedes_id for r in records.values()])
    for pk in new:
        services.supersede(checker.actor, olds[records[pk].supersedes_id], records[pk])


def _usage(record_id: int, result: Result, used: dict[str, Any], keys: dict[tuple[int, str], int]) -> Usage:
    fields = {k: v for k, v in used.items() if k != "certificate_key"}
    if "certificate_key" in used:
        fields["certificate_id"] = keys[used["certificate_key"]]
    return Usage(record_id=record_id, result=result, **fields)


def _outcome(row: Row) -> str:
    if row.fields["kind"] == RecordKind.CALIBRATION:
        return Outcome.CALIBRATION_CERTIFICATE
    failed = any(r["accepted"] is False for r in row.results)
    return Outcome.NOTICE_OF_FAILURE if failed else Outcome.VERIFICATION_CERTIFICATE


def _guards(rows: list[Row], ids: list[int], ratio: float) -> tuple[list[str], int]:
    """The issue-time guards on every imported record, as findings (not refused), worded in the
    active language like the import's own messages."""
    findings: list[str] = []
    count = 0
    records = Record.objects.in_bulk(ids)
    for row, pk in zip(rows, ids, strict=True):
        try:
            check_issue(records[pk], min_uncertainty_ratio=ratio)
        except InvalidInputs as exc:
            count += len(exc.errors)
            at = at_line(row.line)
            findings += [f"{at}: {e}" for e in exc.errors][: max(0, MAX_ERRORS - len(findings))]
    return findings, count
