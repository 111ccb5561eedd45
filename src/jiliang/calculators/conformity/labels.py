"""The conformity core's codes as people read them, in one place: the calculator, a record's page
and the impact report show a statement (``accept``) and a decision rule (``guarded:1``) through
these labels (``templatetags/conformity_labels.py`` for templates)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.conformity import parse_rule
from jiliang.errors import InvalidInput

# The core's statements (ILAC-G8:09/2019 4.2) as people read them.
DECISIONS = {
    "accept": gettext_lazy("accept"),
    "reject": gettext_lazy("reject"),
    "pass": gettext_lazy("pass"),
    "conditional pass": gettext_lazy("conditional pass"),
    "conditional fail": gettext_lazy("conditional fail"),
    "fail": gettext_lazy("fail"),
}

# The decision rules of jiliang.conformity.rules (JCGM 106:2012 8; ILAC-G8:09/2019 4.2).
RULES = {
    "simple": gettext_lazy("Simple acceptance (w = 0)"),
    "guarded": gettext_lazy("Guarded acceptance (w = r·U)"),
    "guarded-rejection": gettext_lazy("Guarded rejection (w = r·U)"),
    "nonbinary": gettext_lazy("Non-binary: pass / conditional pass / conditional fail / fail"),
}


def statement(code: str | None) -> str:
    """A conformity statement's label (none for no statement); another code is shown as it is."""
    return str(DECISIONS.get(code, code)) if code else ""


def decision_rule(text: str) -> str:
    """A stored decision rule's label with its factor r (``guarded:1.5`` -> "Guarded acceptance
    (w = r·U), r = 1.5"); a rule that does not parse is shown as it is."""
    try:
        rule = parse_rule(text)
    except InvalidInput:
        return text
    label = str(RULES[rule.kind])
    return (
        label
        if rule.kind == "simple"
        else _("%(rule)s, r = %(factor)s") % {"rule": label, "factor": f"{rule.factor:g}"}
    )
