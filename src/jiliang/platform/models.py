"""The platform's own records: the append-only, hash-chained audit log (DESIGN.md rule 6)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiliang.errors import Conflict


class AppendOnlyQuerySet(models.QuerySet):
    """Audit entries are never changed or removed through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise Conflict("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise Conflict("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what to which record, and when, with the record before and after.

    ``hash`` = sha256(``prev_hash`` + canonical JSON of the entry's content), so that editing,
    reordering or deleting an entry breaks the chain (see :mod:`jiliang.platform.audit`).
    """

    at = models.DateTimeField(_("when"))
    actor = models.CharField(_("who"), max_length=150)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise Conflict("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise Conflict("audit entries are append-only")


class AuditHead(models.Model):
    """The chain's head (one row): the last entry's id and hash and the number of entries.

    Writers lock this row (``SELECT ... FOR UPDATE``), which serialises appends so the chain never
    forks, and :func:`~jiliang.platform.audit.verify` compares it with the log so that removing the
    newest entries is detected too.
    """

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")
