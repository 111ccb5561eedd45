"""``import_file``: validate a whole file, then write all of it in one transaction or nothing."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jiliang.errors import Conflict, InvalidInput, InvalidInputs
from jiliang.platform import audit
from jiliang.registry import policy
from jiliang.registry.bulk import reader
from jiliang.registry.bulk.check import Checker, canonical_key, unknown_type
from jiliang.registry.bulk.columns import TYPES
from jiliang.registry.bulk.write import resolve_pending, write

NOTHING_IMPORTED = gettext_lazy("nothing was imported")  # the last line of a refused import
# The count of errors not kept, worded by jiliang.errors.InvalidInputs.first_of (outside any app's
# catalogue): marked here so that the registry's catalogue holds it.
gettext_noop("... and %(n)s more errors")
# Types whose rows other rows of the same file may reference, and the column that names them.
_REFERABLE = {"institution": ("institution", "credit_code"), "specification": ("specification", "code")}


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    sha256: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _file_keys(path: Path, fmt: str, default_type: str) -> dict[str, set[str]]:
    """First pass, only for files that may hold institutions or specifications: their keys."""
    keys: dict[str, set[str]] = {kind: set() for kind, _ in _REFERABLE.values()}
    if default_type and default_type not in _REFERABLE:
        return keys
    for item in reader.read(path, fmt, default_type):
        if isinstance(item, reader.Raw) and item.type in _REFERABLE:
            kind, column = _REFERABLE[item.type]
            value = item.values.get(column)
            if isinstance(value, str) and value.strip():
                keys[kind].add(canonical_key(kind, value.strip()))
    return keys


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_file(path: Path, *, actor: policy.Actor, fmt: str | None = None, record_type: str = "") -> Checker:
    """Validate every record; the checker holds the rows and the errors."""
    fmt = reader.file_format(path, fmt)
    default_type = record_type or reader.type_from_name(path, set(TYPES))
    if record_type and record_type not in TYPES:
        raise InvalidInput("type", unknown_type(record_type))
    checker = Checker(actor, _file_keys(path, fmt, default_type))
    for item in reader.read(path, fmt, default_type):
        checker.add(item)
    if not checker.error_count:
        checker.check_database_uniqueness()
    return checker


def import_file(
    path: Path, *, actor: policy.Actor = policy.SYSTEM, fmt: str | None = None, record_type: str = ""
) -> ImportResult:
    """Import ``path``: every row is validated first; on any error nothing is written and
    :class:`InvalidInputs` lists them (``line N: column``, reason). One audit entry records the
    import: who, when, the file's SHA-256 and the number of records of each type."""
    checker = check_file(path, actor=actor, fmt=fmt, record_type=record_type)
    if checker.error_count:
        raise InvalidInputs.first_of(list(checker.errors), checker.error_count)
    sha = digest(path)
    counts = Counter({name: len(rows) for name, rows in checker.rows.items() if rows})
    try:
        with transaction.atomic():
            _write_all(checker)
            audit.record(
                actor=actor.username,
                actor_id=actor.user_id,
                action="import",
                object_type="registry.import",
                object_id=sha[:16],
                before=None,
                after={"file": path.name, "sha256": sha, "counts": dict(counts)},
            )
    except IntegrityError as exc:  # a concurrent writer took a key between checking and writing
        reason = _("the database refused the import, nothing was written: %(error)s") % {"error": exc}
        raise Conflict(reason) from exc
    return ImportResult(dict(counts), sha)


def _write_all(checker: Checker) -> None:
    created: dict[str, dict[str, int]] = {}
    for name, record_type in TYPES.items():
        rows = checker.rows.get(name)
        if not rows:
            continue
        rows = resolve_pending(rows, created)
        ids = write(record_type, rows)
        if name in _REFERABLE:
            kind, column = _REFERABLE[name]
            index = [c.name for c in record_type.columns].index(column)
            created[kind] = {row[index]: pk for row, pk in zip(rows, ids, strict=True)}
