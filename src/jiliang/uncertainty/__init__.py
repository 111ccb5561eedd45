"""Measurement uncertainty: GUM (JCGM 100) and Monte Carlo (JCGM 101, JCGM 102)."""
