"""Conformity decisions with measurement uncertainty (JCGM 106, ILAC-G8)."""
