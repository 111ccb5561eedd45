"""``{% load units %}``: ``{{ value }} {{ unit|unit }}`` prints nothing for the unit one
(:func:`jiliang.units.display_unit`)."""

from __future__ import annotations

from django import template

from jiliang.units import display_unit

register = template.Library()
register.filter("unit", display_unit)
