"""Append-only, hash-chained audit log (DESIGN.md rule 6).

Each entry's hash is ``sha256(prev_hash || canonical_json(content))`` where ``content`` holds who,
when, the action, the object's type and id, and the record before and after. Canonical JSON is
UTF-8 with sorted keys and no insignificant whitespace, so the same content always gives the same
bytes on SQLite and PostgreSQL. :func:`verify` walks the chain and names the first entry that was
edited, or that no longer follows its predecessor because an entry was deleted or reordered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiliang.platform.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "who": entry.actor,
        "who_id": entry.actor_id,
        "when": entry.at.astimezone(UTC).isoformat(),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
    }


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    payload = prev_hash + canonical_json(_content(entry))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, last_id=0, last_hash=GENESIS, count=0)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def record(
    *,
    actor: str,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction (it rolls back with the change)."""
    with transaction.atomic():
        head = _head()
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=before,
            after=after,
            prev_hash=head.last_hash or GENESIS,
        )
        entry.hash = entry_hash(entry, entry.prev_hash)
        entry.save()
        AuditHead.objects.filter(pk=1).update(last_id=entry.pk, last_hash=entry.hash, count=head.count + 1)
    return entry


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain: ``ok`` or the first bad entry and what is wrong with it."""

    ok: bool
    checked: int
    entry_id: int | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries"
        return f"audit entry {self.entry_id}: {self.problem}"


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the chain in id order and report the first broken link."""
    prev_hash, prev_id, checked = GENESIS, None, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.prev_hash != prev_hash:
            after = f"entry {prev_id}" if prev_id is not None else "the start of the log"
            return Verification(
                False,
                checked,
                entry.pk,
                f"does not follow {after}: an entry was deleted, inserted or the entries were reordered",
            )
        if entry_hash(entry, entry.prev_hash) != entry.hash:
            return Verification(False, checked, entry.pk, "was edited: its content does not match its hash")
        prev_hash, prev_id, checked = entry.hash, entry.pk, checked + 1
    return _check_head(prev_hash, prev_id, checked)


def _check_head(last_hash: str, last_id: int | None, checked: int) -> Verification:
    head = AuditHead.objects.filter(pk=1).first()
    expected = (head.last_hash, head.last_id, head.count) if head else (GENESIS, 0, 0)
    if (last_hash, last_id or 0, checked) != expected:
        return Verification(
            False,
            checked,
            expected[1],
            f"is missing: the chain head records {expected[2]} entries ending at entry {expected[1]}, "
            f"the log has {checked} ending at entry {last_id}",
        )
    return Verification(True, checked)
