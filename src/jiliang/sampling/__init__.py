"""Acceptance sampling (ISO 2859-1, ISO 2859-2, ISO 3951-1)."""
