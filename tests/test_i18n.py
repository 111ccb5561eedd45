"""Both languages are complete: every translatable string in the source has a zh-hans translation,
and the compiled catalogue that ships matches the .po file.

Each Django app keeps its own catalogue in ``<app>/locale`` so that apps never collide on one file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import jiliang

PACKAGE = Path(jiliang.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
APPS = [po.parents[3] for po in CATALOGUES]


def _app_id(app: Path) -> str:
    return str(app.relative_to(PACKAGE))


def _extract(app: Path, tmp_path: Path) -> polib.POFile:
    """Run Django's makemessages on a copy of one app and return its fresh catalogue."""
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--settings=jiliang.platform.settings",
            "-i",
            "*/migrations/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_django_app_has_a_catalogue():
    from django.apps import apps

    ours = {Path(c.path) for c in apps.get_app_configs() if c.name.startswith("jiliang.")}
    assert ours <= set(APPS), f"apps without locale/zh_Hans: {sorted(map(str, ours - set(APPS)))}"


@pytest.mark.parametrize("app", APPS, ids=_app_id)
def test_every_string_has_a_chinese_translation(app, tmp_path):
    fresh = _extract(app, tmp_path)
    missing = [e.msgid for e in fresh if not e.msgstr and not e.msgstr_plural]
    fuzzy = [e.msgid for e in fresh.fuzzy_entries()]
    assert not missing, f"untranslated (run `make messages` and translate): {missing[:20]}"
    assert not fuzzy, f"fuzzy translations to review: {fuzzy[:20]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: _app_id(p.parents[3]))
def test_compiled_catalogue_matches_the_po_file(po_path):
    po = polib.pofile(str(po_path))
    expected = {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo"))) if e.msgid}
    assert expected == compiled, f"{po_path.with_suffix('.mo')} is stale: run `make messages`"


def test_one_string_has_one_translation_across_apps():
    """Django merges the apps' catalogues and the first app wins, so a msgid translated two ways
    shows the wrong words in one app: give such a string a context (pgettext) instead."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in CATALOGUES:
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete:
                seen.setdefault((entry.msgctxt, entry.msgid), {})[_app_id(po_path.parents[3])] = entry.msgstr
    clashes = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert not clashes, f"translated differently by different apps: {clashes}"
