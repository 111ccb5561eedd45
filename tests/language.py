"""Checks shared by the tests that an import's errors are worded in the active language."""

from __future__ import annotations

import re

from tests.platform.crawl import CJK, TWO_ASCII_WORDS


def assert_worded_in(language: str, error: str, words: str) -> None:
    """``error`` is in ``language``: no Chinese in en; in zh-hans its ``words`` (the error without
    its line, its path or column and the file's own values) are Chinese, with no English left."""
    if language == "en":
        assert not CJK.search(error), f"Chinese left in en: {error}"
    else:
        assert CJK.search(words), f"English left in zh-hans: {error}"
        assert not TWO_ASCII_WORDS.search(words), f"English left in zh-hans: {error}"


def split_error(error: str, line: re.Pattern[str], field: str) -> tuple[str, str, str]:
    """(line, member path or column, reason) of an import error: ``line`` matches its start and
    captures the number, ``field`` matches a whole path or column (ASCII; a reason may not be)."""
    found = line.match(error)
    number, rest = (found[1], error[found.end() :]) if found else ("", error)
    name, sep, reason = rest.partition(": ")
    if sep and re.fullmatch(field, name):
        return number, name, reason
    return number, "", rest
