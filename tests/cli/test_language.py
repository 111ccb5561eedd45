"""The language of the ``jiliang`` command: ``--language``, else ``JILIANG_LANGUAGE``, else LC_ALL,
LC_MESSAGES, LANG (POSIX precedence); activated after Django setup for every command."""

from __future__ import annotations

import pytest
from django.utils import translation

from jiliang.cli.language import choose, from_locale
from jiliang.cli.main import main
from jiliang.errors import InvalidInput
from tests import factories
from tests.calibration import builders as b

LOCALE_VARS = ("JILIANG_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def env(monkeypatch):
    """An environment holding none of the variables that choose the language; set them per test."""
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_option_wins_over_the_environment():
    environ = {"JILIANG_LANGUAGE": "zh-hans", "LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}
    assert choose("en", environ) == "en"
    assert choose("zh-hans", {"JILIANG_LANGUAGE": "en", "LC_ALL": "en_US.UTF-8"}) == "zh-hans"


def test_jiliang_language_wins_over_the_locale_and_ignores_case():
    assert choose(None, {"JILIANG_LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}) == "en"
    assert choose(None, {"JILIANG_LANGUAGE": "ZH-Hans", "LANG": "en_GB.UTF-8"}) == "zh-hans"
    assert choose(None, {"JILIANG_LANGUAGE": "", "LANG": "en_GB.UTF-8"}) == "en"  # empty is unset


def test_locale_variables_in_posix_precedence():
    assert choose(None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN", "LANG": "zh_CN"}) == "en"
    assert choose(None, {"LC_MESSAGES": "en_US", "LANG": "zh_CN.UTF-8"}) == "en"
    assert choose(None, {"LANG": "zh_TW.UTF-8"}) == "zh-hans"
    assert choose(None, {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_AU"}) == "en"  # empty is unset
    # The first variable set decides, even when it names no language of ours.
    assert choose(None, {"LC_ALL": "C", "LANG": "en_US.UTF-8"}) is None
    assert choose(None, {"LC_MESSAGES": "POSIX", "LANG": "en_US.UTF-8"}) is None
    assert choose(None, {}) is None


@pytest.mark.parametrize(
    ("name", "language"),
    [("zh_CN.UTF-8", "zh-hans"), ("zh", "zh-hans"), ("en_US.UTF-8", "en"), ("en", "en"),
     ("C", None), ("C.UTF-8", None), ("POSIX", None), ("fr_FR.UTF-8", None), ("de", None)],
)  # fmt: skip
def test_locale_names(name, language):
    assert from_locale(name) == language


def test_an_invalid_jiliang_language_names_the_variable_and_the_choices():
    with pytest.raises(InvalidInput) as err:
        choose(None, {"JILIANG_LANGUAGE": "fr", "LANG": "en_US.UTF-8"})
    assert err.value.field == "JILIANG_LANGUAGE" and "zh-hans or en" in err.value.reason


def test_invalid_values_exit_2(env, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--language", "fr", "audit", "verify"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --language: invalid choice: 'fr'" in err and "'zh-hans', 'en'" in err
    env.setenv("JILIANG_LANGUAGE", "english")
    assert main(["audit", "verify"]) == 2
    assert capsys.readouterr().err == (
        "jiliang: invalid input: JILIANG_LANGUAGE: 'english' is not a language of Jiliang: use zh-hans or en\n"
    )


@pytest.fixture
def draft_number(db):
    return b.draft(b.lab(), factories.instrument()).certificate_number


def _export_error(capsys, tmp_path, number, *options):
    assert main([*options, "dcc", "export", number, "-o", str(tmp_path / "c.xml")]) == 1
    assert not (tmp_path / "c.xml").exists()
    return capsys.readouterr().err


ENGLISH = "is Draft; only an issued record is signed"
CHINESE = "的状态为草稿；只有已签发的记录才能签署"


@pytest.mark.parametrize(
    ("options", "variables", "expected"),
    [
        (["--language", "en"], {"JILIANG_LANGUAGE": "zh-hans", "LC_ALL": "zh_CN.UTF-8"}, ENGLISH),
        (["--language", "zh-hans"], {"JILIANG_LANGUAGE": "en", "LANG": "en_US.UTF-8"}, CHINESE),
        ([], {"JILIANG_LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}, ENGLISH),
        ([], {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        ([], {"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        ([], {"LANG": "en_US.UTF-8"}, ENGLISH),
        ([], {"LANG": "zh_CN.UTF-8"}, CHINESE),
        ([], {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, CHINESE),  # C: the platform default
        ([], {}, CHINESE),
    ],
)
def test_a_translated_error_of_a_platform_command_in_the_chosen_language(
    env, capsys, tmp_path, draft_number, options, variables, expected
):
    for name, value in variables.items():
        env.setenv(name, value)
    assert expected in _export_error(capsys, tmp_path, draft_number, *options)


def test_each_run_chooses_afresh_and_leaves_no_language_active(env, capsys, tmp_path, draft_number):
    env.setenv("LANG", "zh_CN.UTF-8")
    assert ENGLISH in _export_error(capsys, tmp_path, draft_number, "--language", "en")
    assert translation.get_language() == "zh-hans"  # deactivated: the settings' LANGUAGE_CODE
    assert CHINESE in _export_error(capsys, tmp_path, draft_number)
