"""The language of the ``jiliang`` command, chosen once at start-up.

In this order: the global option ``--language``, else ``JILIANG_LANGUAGE``, else the POSIX locale
variables in their standard precedence (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; the first
one set and not empty decides: ``zh*`` is zh-hans, ``en*`` is en, ``C``, ``POSIX`` or anything else
leaves the platform default, ``LANGUAGE_CODE``). :func:`jiliang.cli.platform.setup_django`
activates it, so every command that uses Django speaks it; commands without Django print no
translated text.
"""

from __future__ import annotations

from collections.abc import Mapping

from jiliang.errors import InvalidInput

LANGUAGES: tuple[str, ...] = ("zh-hans", "en")
ENV_VAR = "JILIANG_LANGUAGE"
LOCALE_VARS: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")


class _Run:
    """This run's choice (None: the platform default) and whether Django has it active."""

    chosen: str | None = None
    active: bool = False


def choose(option: str | None, environ: Mapping[str, str]) -> str | None:
    """The language asked for by ``--language`` (``option``) or the environment; None: the default."""
    if option is not None:
        return option  # argparse has checked it against LANGUAGES
    value = environ.get(ENV_VAR, "").strip()
    if value:
        if value.lower() not in LANGUAGES:
            raise InvalidInput(ENV_VAR, f"{value!r} is not a language of Jiliang: use zh-hans or en")
        return value.lower()
    for name in LOCALE_VARS:
        value = environ.get(name, "")
        if value:
            return from_locale(value)
    return None


def from_locale(value: str) -> str | None:
    """The language of a POSIX locale name (``zh_CN.UTF-8``, ``en_GB``); None for any other."""
    lowered = value.lower()
    if lowered.startswith("zh"):
        return "zh-hans"
    if lowered.startswith("en"):
        return "en"
    return None


def set_chosen(language: str | None) -> None:
    _Run.chosen = language


def activate() -> None:
    """Activate the chosen language (or the platform default) in Django; after ``django.setup()``."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(_Run.chosen or settings.LANGUAGE_CODE)
    _Run.active = True


def reset() -> None:
    """Forget the choice and deactivate it (a test may run several commands in one process)."""
    _Run.chosen = None
    if _Run.active:
        from django.utils import translation

        translation.deactivate()
        _Run.active = False
