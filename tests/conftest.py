"""Test configuration shared by every test.

Database tests use pytest-django's ``django_db`` marker; ``.ci/run`` runs the tests carrying it
a second time against PostgreSQL (``JILIANG_DATABASE_URL=postgres://...``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests log users in often; Argon2 is kept for production (see settings.PASSWORD_HASHERS)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cli_language(monkeypatch):
    """The ``jiliang`` command speaks the platform default (zh-hans) in every test, whatever the
    runner's LANG or LC_ALL; tests/cli/test_language.py sets the environment it tests itself."""
    monkeypatch.setenv("JILIANG_LANGUAGE", "zh-hans")
