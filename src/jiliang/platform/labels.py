"""The core's codes as people read them, in one place for every app (the platform is what they all
depend on): a conformity statement (``accept``) and a decision rule (``guarded:1``) for the
conformity calculator, a record's page, the impact report and the DCC built at signing
(``templatetags/conformity_labels.py`` for templates), and where an ISO 2859-2 LQ plan comes from
(:func:`lq_source`, for the LQ calculator and a supervision lot's page)."""

from __future__ import annotations

from typing import Any

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


def lq_source(result: dict[str, Any]) -> str:
    """Where an LQ plan comes from, in the current language, from the core's fields
    (:func:`jiliang.sampling.iso2859_2.lq_report`: ``basis``, ``table_version``,
    ``consumer_risk``, ``unused_table_cell``); its ``source`` says the same in English for the CLI
    and JSON."""
    if result["basis"] == "table":
        return _("ISO 2859-2:1985 Table A (procedure A), data version %(version)s") % {
            "version": result["table_version"]
        }
    note = _(
        "Smallest n whose hypergeometric probability of accepting a lot at the LQ is at most the "
        "consumer's risk of %(risk)s (the principle of ISO 2859-2 procedure A, not its printed Table A)"
    ) % {"risk": f"{100 * result['consumer_risk']:g} %"}
    cell = result.get("unused_table_cell")
    if cell is None:
        return note
    unused = _(
        "The transcribed Table A cell (n = %(n)s, Ac = %(ac)s) is not used: its consumer's risk exceeds "
        "the 13 %% the standard allows for some lots of its row."
    ) % {"n": cell["sample_size"], "ac": cell["acceptance_number"]}
    return f"{unused} {note}"
