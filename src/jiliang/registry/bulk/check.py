"""Validate every record of an import before anything is written (issue 2, item 5).

Each row's values are converted, references resolved (against the database and the file's own
institutions and specifications), the row rules checked, uniqueness checked within the file and
against the database, and the actor's permission checked. Errors name the line, the column and
the reason; the checker keeps going so that one run reports them all (up to a limit). The words
(``line N`` and the reasons) are in the active language, the command's ``--language``; column
names, record types and the file's values stay as written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from jiliang.errors import InvalidInput
from jiliang.registry import policy
from jiliang.registry import validators as v
from jiliang.registry.bulk.columns import REFERENCES, TYPES, RecordType
from jiliang.registry.bulk.convert import converter
from jiliang.registry.bulk.reader import Bad, Raw

MAX_ERRORS = 100
MEMO_LIMIT = 20_000
_CANONICAL = {"institution": v.validate_credit_code, "specification": v.validate_specification_code}


def at_line(line: int) -> str:
    """``line N`` in the active language: where an error of the file is."""
    return _("line %(line)s") % {"line": line}


def unknown_type(name: str) -> str:
    """The reason for a record type that is not one of :data:`TYPES`."""
    return _("unknown record type %(type)r; known: %(known)s") % {"type": name, "known": ", ".join(TYPES)}


def canonical_key(kind: str, key: str) -> str:
    """The stored form of a natural key (``91310000...`` upper-case, ``JJG 596-2012`` spaced)."""
    canonical = _CANONICAL.get(kind)
    if canonical is None:
        return key
    try:
        return canonical(key, kind)
    except InvalidInput:
        return key


@dataclass(frozen=True, slots=True)
class Pending:
    """A reference to a record created by the same import (its id is known after writing)."""

    kind: str
    key: str


class Checker:
    def __init__(self, actor: policy.Actor, file_keys: dict[str, set[str]]) -> None:
        self.actor = actor
        self.file_keys = file_keys  # natural keys of institutions/specifications in the file
        self.refs: dict[str, dict[str, Any]] = {}
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.errors: list[InvalidInput] = []
        self.error_count = 0
        self._seen: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = defaultdict(dict)
        self._plans = {name: self._plan(t) for name, t in TYPES.items()}
        self._getters = {name: _row_getter(t) for name, t in TYPES.items()}

    # -- references -------------------------------------------------------------------------
    def resolve(self, kind: str, key: str) -> Any:
        table = self.refs.get(kind)
        if table is None:
            model, natural = REFERENCES[kind]
            table = self.refs[kind] = dict(model._default_manager.values_list(natural, "pk"))
        if key in table:
            return table[key]
        key = canonical_key(kind, key)
        if key in table:
            return table[key]
        if key in self.file_keys.get(kind, ()):
            return Pending(kind, key)
        raise KeyError(key)

    def _plan(self, record_type: RecordType) -> list[tuple[Any, ...]]:
        """Per column: name, required, default, converter, memo, and whether blank text is missing.

        The memo remembers conversions of repeated text values (categories, owners, dates,
        models): most columns of a large import take few distinct values. It stops growing at
        ``MEMO_LIMIT`` entries, so unique columns (serial numbers) do not fill memory."""
        return [
            (c.name, c.required, c.default, converter(c, self.resolve), {}, c.kind == "str" and c.required)
            for c in record_type.columns
        ]

    # -- rows -------------------------------------------------------------------------------
    def error(self, line: int, field: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            where = at_line(line) + (f": {field}" if field else "")
            self.errors.append(InvalidInput(where, reason))

    def add(self, item: Raw | Bad) -> None:
        if isinstance(item, Bad):
            self.error(item.line, item.field, item.reason)
            return
        record_type = TYPES.get(item.type)
        if record_type is None:
            self.error(item.line, "type", unknown_type(item.type))
            return
        values = self._convert(item, record_type)
        if values is not None and self._rules(item.line, record_type, values):
            self._keep(item.line, record_type, values)

    def _convert(self, item: Raw, record_type: RecordType) -> dict[str, Any] | None:
        raw, out, ok = item.values, {}, True
        for name, required, default, convert, memo, blank_is_missing in self._plans[record_type.name]:
            value = raw.pop(name, None)
            if value is None or value == "":
                if required:
                    self.error(item.line, name, _("required"))
                    ok = False
                out[name] = default
                continue
            if isinstance(value, str) and value in memo:
                out[name] = memo[value]
                continue
            try:
                converted = out[name] = convert(value)
            except ValueError as exc:
                self.error(item.line, name, str(exc))
                ok = False
                continue
            if blank_is_missing and not converted:
                self.error(item.line, name, _("required"))
                ok = False
            elif isinstance(value, str) and len(memo) < MEMO_LIMIT:
                memo[value] = converted
        if raw:
            ok = self._no_foreign_columns(item, record_type) and ok
        return out if ok else None

    def _no_foreign_columns(self, item: Raw, record_type: RecordType) -> bool:
        extra = [name for name, value in item.values.items() if value not in ("", None)]
        for name in extra:
            self.error(item.line, name, _("is not a column of %(type)s") % {"type": record_type.name})
        return not extra

    def _rules(self, line: int, record_type: RecordType, values: dict[str, Any]) -> bool:
        ok = True
        for rule in record_type.rules:
            broken = rule(values)
            if broken:
                self.error(line, *broken)
                ok = False
        if ok and not self.actor.is_admin and not self._permitted(record_type, values):
            reason = _("%(actor)s may not create this %(type)s") % {
                "actor": self.actor,
                "type": record_type.name,
            }
            self.error(line, "", reason)
            ok = False
        return ok

    def _permitted(self, record_type: RecordType, values: dict[str, Any]) -> bool:
        fields = {
            c.target: values[c.name]
            for c in record_type.columns
            if c.kind == "ref" and not isinstance(values[c.name], Pending)
        }
        return policy.can(self.actor, policy.CREATE, record_type.model(**fields))

    def _keep(self, line: int, record_type: RecordType, values: dict[str, Any]) -> None:
        for group in record_type.unique:
            key = tuple(values[c] for c in group)
            if not any(key):
                continue
            seen = self._seen[(record_type.name, group)]
            first = seen.setdefault(key, line)
            if first != line:
                reason = _("duplicate of line %(line)s (%(key)s)") % {
                    "line": first,
                    "key": ", ".join(map(str, key)),
                }
                self.error(line, group[-1], reason)
                return
        self.rows[record_type.name].append(self._getters[record_type.name](values))

    # -- the database -------------------------------------------------------------------------
    def check_database_uniqueness(self) -> None:
        """Report file rows whose unique keys already exist in the database."""
        for (type_name, group), seen in self._seen.items():
            model = TYPES[type_name].model
            if not seen or not model._default_manager.exists():
                continue
            for existing in _existing(model, group, seen):
                line = seen[existing]
                reason = _("already in the registry (%(key)s)") % {"key": ", ".join(map(str, existing))}
                self.error(line, group[-1], reason)


def _row_getter(record_type: RecordType) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The row tuple in column order (itemgetter is C code: this runs once per record)."""
    names = [c.name for c in record_type.columns]
    getter = itemgetter(*names)
    return getter if len(names) > 1 else lambda values: (getter(values),)


def _existing(
    model: Any, group: tuple[str, ...], keys: dict[tuple[Any, ...], int]
) -> Iterable[tuple[Any, ...]]:
    """The keys that already exist, queried in chunks on the last (most selective) column."""
    last = group[-1]
    items = list(keys)
    for start in range(0, len(items), 2000):
        chunk = items[start : start + 2000]
        query = Q(**{f"{last}__in": [k[-1] for k in chunk]})
        for row in model._default_manager.filter(query).values_list(*group):
            if tuple(row) in keys:
                yield tuple(row)
