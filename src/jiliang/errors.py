"""The root of Jiliang's errors and its four categories (DESIGN.md rule 7).

Domain errors subclass one category, carry their fields as attributes and build their
message in ``__str__``. The edges map categories once: the API to RFC 9457 problem JSON,
the CLI to exit codes (2 for invalid input, 1 otherwise), the web to messages beside fields.
"""

from __future__ import annotations


class JiliangError(Exception):
    """Root of every error Jiliang raises on purpose."""


class InvalidInput(JiliangError, ValueError):
    """The caller gave a value that cannot be accepted.

    ``field`` is a dotted path to the offending value (``inputs.l_s.std_uncertainty``,
    ``line 12: serial_number``); ``reason`` says what is wrong with it.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class NotFound(JiliangError, LookupError):
    """A named thing does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(kind, key)
        self.kind = kind
        self.key = key

    def __str__(self) -> str:
        return f"no {self.kind} {self.key!r}"


class Conflict(JiliangError):
    """The request contradicts the current state (a duplicate, an issued record, a stale edit)."""

    def __init__(self, reason: str, field: str = "") -> None:
        super().__init__(reason, field)
        self.reason = reason
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class PermissionDenied(JiliangError):
    """The actor may not do this."""

    def __init__(self, action: str, reason: str = "") -> None:
        super().__init__(action, reason)
        self.action = action
        self.reason = reason

    def __str__(self) -> str:
        return f"not permitted to {self.action}" + (f": {self.reason}" if self.reason else "")


class InvalidInputs(InvalidInput):
    """Several invalid values found together (a form, an import): all are reported at once."""

    def __init__(self, errors: list[InvalidInput]) -> None:
        if not errors:
            raise ValueError("InvalidInputs needs at least one error")
        super().__init__(errors[0].field, errors[0].reason)
        self.errors = list(errors)

    @classmethod
    def first_of(cls, errors: list[InvalidInput], total: int) -> InvalidInputs:
        """The ``errors`` kept of ``total`` found (a checker stops keeping after a limit), with a
        last entry saying how many more there were, in the active language (its callers are the
        imports, which run under Django; the sentence is in the registry's catalogue)."""
        kept = list(errors)
        if total > len(kept):
            from django.utils.translation import gettext

            kept.append(InvalidInput("", gettext("... and %(n)s more errors") % {"n": total - len(kept)}))
        return cls(kept)

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)
