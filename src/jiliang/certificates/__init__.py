"""Issued DCCs (the exact signed bytes), imported third-party DCCs, and public verification."""
