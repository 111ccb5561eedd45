"""Links between the records of a history file, resolved once every record is read (issue 5,
item 5): the certificate that made each standard valid where it was used, and the certificate a
record ``supersedes``. Either may name a record in the database or anywhere in the file.

Superseding follows the lifecycle of :mod:`jiliang.calibration.services`: the rules are
:func:`~jiliang.calibration.services.supersession_problems` (an issued original of the same
issuer and item, not dated after its replacement), checked here before anything is written and
again by :func:`~jiliang.calibration.services.supersede` when the import marks the original
superseded. Within the file a certificate is replaced at most once and the links form no cycle.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jiliang.calibration.choices import RecordStatus
from jiliang.calibration.history_check import Checker, Row
from jiliang.calibration.history_values import at_line
from jiliang.calibration.models import Record
from jiliang.calibration.services import supersession_problems

Key = tuple[int, str]  # (issuer, certificate number)


def resolve(checker: Checker) -> None:
    """Resolve both kinds of link; errors go to ``checker``."""
    resolve_certificates(checker)
    resolve_supersedes(checker)


def resolve_certificates(checker: Checker) -> None:
    """Certificates may name records later in the file: resolved once every line is read."""
    numbers: dict[str, set[int]] = {n: set(s) for n, s in checker.keys.numbers.items()}
    for inst, number in checker.in_file:
        numbers.setdefault(number, set()).add(inst)
    known = {**checker.keys.certificates, **checker.in_file}
    for row in checker.rows:
        for i, usages in enumerate(row.usages):
            for j, usage in enumerate(usages):
                ref = usage.pop("certificate_ref", None)
                if ref is None:
                    continue
                issuer, number = ref
                issuers = numbers.get(number, set()) if issuer is None else {issuer}
                where = f"results[{i}].standards[{j}].certificate"
                if len(issuers) > 1:
                    reason = _("two issuers numbered a certificate %(number)s; name the issuer")
                    checker.report(row.place, where, reason % {"number": number})
                elif not issuers or (next(iter(issuers)), number) not in known:
                    reason = _("no certificate %(number)s in the database or the file")
                    checker.report(row.place, where, reason % {"number": number})
                else:
                    usage["certificate_key"] = (next(iter(issuers)), number)


def resolve_supersedes(checker: Checker) -> None:
    """Find each superseded certificate and check the rules; set ``Row.supersedes_key``. A record
    of the file that another one supersedes ends superseded whatever status the file gave it
    (``issued`` or ``superseded``; a revoked one is refused)."""
    in_file = {(r.fields["institution_id"], r.fields["certificate_number"]): r for r in checker.rows}
    claimed: dict[Key, Row] = {}
    for row in checker.rows:
        if row.supersedes_ref is None:
            continue
        issuer, number = row.supersedes_ref
        key = (issuer if issuer is not None else row.fields["institution_id"], number)
        if key not in in_file and key not in checker.keys.certificates:
            reason = _("no certificate %(number)s of the issuer in the database or the file")
            checker.report(row.place, "supersedes", reason % {"number": number})
        elif key in claimed:
            reason = _("record %(number)s is already superseded by line %(line)s")
            checker.report(row.place, "supersedes", reason % {"number": number, "line": claimed[key].line})
        else:
            claimed[key] = row
            row.supersedes_key = key
    stored = _stored({k for k in claimed if k not in in_file}, checker)
    named = dict(  # a draft or checked record of the database that already names one of them
        Record.objects.filter(supersedes__in=stored.values()).values_list(
            "supersedes_id", "certificate_number"
        )
    )
    for key, row in claimed.items():
        old = stored[key] if key in stored else _unsaved(in_file[key])
        problems = supersession_problems(old, Record(**row.fields))
        if old.pk in named and not problems:
            reason = _("record %(record)s is already named in supersedes by record %(other)s")
            problems = [reason % {"record": old, "other": named[old.pk]}]
        for problem in problems:
            checker.report(row.place, "supersedes", problem)
    _cycles(checker, in_file)
    for key in claimed:
        if key in in_file and in_file[key].fields["status"] == RecordStatus.ISSUED:
            in_file[key].fields["status"] = RecordStatus.SUPERSEDED


def _stored(keys: set[Key], checker: Checker) -> dict[Key, Record]:
    pks = [checker.keys.certificates[k] for k in keys]
    return {(r.institution_id, r.certificate_number): r for r in Record.objects.filter(pk__in=pks)}


def _unsaved(row: Row) -> Record:
    """A record of the file as the rules see it: written issued, then superseded by the import."""
    record = Record(**row.fields)
    if record.status == RecordStatus.SUPERSEDED:
        record.status = RecordStatus.ISSUED
    return record


def _cycles(checker: Checker, in_file: dict[Key, Row]) -> None:
    """Each record supersedes at most one and is superseded at most once, so the links within
    the file are chains; a chain that comes back to where it started is a cycle."""
    seen: set[int] = set()
    for start in checker.rows:
        path: list[Row] = []
        row: Row | None = start
        while row is not None and row.line not in seen:
            seen.add(row.line)
            path.append(row)
            row = in_file.get(row.supersedes_key) if row.supersedes_key else None
        at = next((i for i, r in enumerate(path) if r is row), None)
        if row is None or at is None:
            continue
        if len(path) - at == 1:
            checker.report(row.place, "supersedes", _("a record cannot supersede itself"))
        else:
            steps = " -> ".join(at_line(r.line) for r in [*path[at:], row])
            reason = _("the records supersede one another in a cycle (%(steps)s)") % {"steps": steps}
            checker.report(row.place, "supersedes", reason)
