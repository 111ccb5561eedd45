"""Thin web and REST edges over the pure scientific core: one Django app per engine."""
