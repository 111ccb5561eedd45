"""``{% load conformity_labels %}``: ``{{ code|statement }}`` and ``{{ rule|decision_rule }}``
(the labels of :mod:`jiliang.platform.labels`)."""

from __future__ import annotations

from django import template

from jiliang.platform import labels

register = template.Library()
register.filter("statement", labels.statement)
register.filter("decision_rule", labels.decision_rule)
