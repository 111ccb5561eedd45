"""The fleet (meter) import speaks the command's language (zh-hans and en): its row errors
(``line N: column: reason``), the file's own errors and ``jiliang fleet import``'s closing
"nothing was imported". No English is left in zh-hans once the file's values are removed, no
Chinese is in en, and the errors are the same ones, at the same lines and columns, in both."""

from __future__ import annotations

import io
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import jiliang.supervision
from jiliang.cli.main import main
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.supervision.fleet_import import COLUMNS, import_fleet
from jiliang.supervision.models import Meter
from tests.language import assert_worded_in
from tests.platform.crawl import CJK, TWO_ASCII_WORDS
from tests.supervision.test_fleet import ADMIN, HEADER, csv_text, fleet

pytestmark = pytest.mark.django_db
PO = Path(jiliang.supervision.__path__[0]) / "locale/zh_Hans/LC_MESSAGES/django.po"
LINE = {"en": re.compile(r"^line (\d+): "), "zh-hans": re.compile(r"^第 (\d+) 行: ")}
QUOTED = re.compile(r"'[^']*'")


def _bad_file() -> str:
    return csv_text(2) + (
        ",1P,220V,Maker,,,,,\n"  # required
        f"S9,{'x' * 61},220V,Maker,DDZY,,20x8,,999999\n"  # too long, not a year, unknown district
        "S8,1P,220V,Maker,DDZY,,2018,2018-13-01,\n"  # not a date
        "S7,1P,220V,Maker,DDZY,,2018,2017-01-01,\n"  # installed before the verification year
        "S000001,1P,220V,Maker,DDZY,,2018,,\n"  # repeats line 3
    )


def _errors(f, text: str, language: str) -> list[str]:
    with translation.override(language), pytest.raises(InvalidInputs) as caught:
        import_fleet(ADMIN, f, io.StringIO(text))
    assert not Meter.objects.exists()  # all or nothing
    return [str(e) for e in caught.value.errors]


def _words(error: str, language: str, details: tuple[str, ...] = ()) -> str:
    """The reason without its line, column and the file's values."""
    rest = error[LINE[language].match(error).end() :]  # type: ignore[union-attr]
    column, _, reason = rest.partition(": ")
    assert column in (*COLUMNS, "header"), error
    for detail in details:
        reason = reason.replace(detail, "")
    return QUOTED.sub("", reason)


def _assert_in_language(errors: list[str], language: str, details: tuple[str, ...] = ()) -> None:
    assert errors
    for error in errors:
        assert_worded_in(language, error, _words(error, language, details))


def test_the_row_errors_are_worded_in_either_language():
    f = fleet()
    english, chinese = _errors(f, _bad_file(), "en"), _errors(f, _bad_file(), "zh-hans")
    assert len(english) == len(chinese) == 9
    assert [e.split(": ")[1] for e in english] == [e.split(": ")[1] for e in chinese]
    assert [LINE["en"].match(e)[1] for e in english] == [LINE["zh-hans"].match(e)[1] for e in chinese]  # type: ignore[index]
    _assert_in_language(english, "en")
    _assert_in_language(chinese, "zh-hans")
    assert "line 5: verification_year: '20x8' is not a year between 1950 and" in " ".join(english)
    assert "第 4 行: serial_number: 必填" in chinese
    assert "第 8 行: serial_number: 'S000001' 与第 3 行重复" in chinese
    assert "第 7 行: installed: 2017-01-01 早于检定年份 2018" in chinese


def test_a_serial_number_already_in_the_fleet_in_either_language():
    f = fleet()
    import_fleet(ADMIN, f, io.StringIO(csv_text(2)))
    before = Meter.objects.count()
    for language, reason in (("en", "is already in fleet sh-grid"), ("zh-hans", "已在表群 sh-grid 中")):
        with translation.override(language), pytest.raises(InvalidInputs) as caught:
            import_fleet(ADMIN, f, io.StringIO(csv_text(1)))
        [error] = [str(e) for e in caught.value.errors]
        assert reason in error and Meter.objects.count() == before
        _assert_in_language([error], language, ("sh-grid",))


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (
            "serial_number,meter_type\nS1,1P\n",
            "missing columns ratings, manufacturer, model, verification_year",
        ),
        (HEADER.rstrip("\n") + ",colour\n", "unknown columns colour"),
        (csv_text(1) + "S2,1P,220V,Maker,DDZY,,2018,,,extra\n", "has more than 9 fields"),
        (HEADER, "holds no meters"),
    ],
)
def test_the_file_errors_are_worded_in_either_language(text, english):
    f = fleet()
    reasons = {}
    for language in ("en", "zh-hans"):
        with translation.override(language), pytest.raises(InvalidInput) as caught:
            import_fleet(ADMIN, f, io.StringIO(text))
        reasons[language] = caught.value.reason
    assert reasons["en"] == english and not CJK.search(reasons["en"])
    chinese = reasons["zh-hans"]
    for column in ("ratings, manufacturer, model, verification_year", "colour"):
        chinese = chinese.replace(column, "")
    assert CJK.search(chinese) and not TWO_ASCII_WORDS.search(chinese), reasons["zh-hans"]


@pytest.mark.parametrize(
    ("options", "error", "closing"),
    [
        (["--language", "en"], "line 3: verification_year: is required", "nothing was imported"),
        (["--language", "zh-hans"], "第 3 行: verification_year: 必填", "未导入任何内容"),
        ([], "第 3 行: verification_year: 必填", "未导入任何内容"),  # JILIANG_LANGUAGE (tests/conftest.py)
    ],
)
def test_jiliang_fleet_import_reports_in_its_language(tmp_path, capsys, options, error, closing):
    f = fleet()
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text(1) + "S2,1P,220V,Maker,DDZY,,,,\n", encoding="utf-8")
    assert main([*options, "fleet", "import", f.code, str(bad)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"jiliang: {error}", f"jiliang: {closing}"]
    assert not Meter.objects.exists()


def test_every_message_of_the_fleet_import_has_its_chinese():
    entries = [e for e in polib.pofile(str(PO)) if any(p == "fleet_import.py" for p, _ in e.occurrences)]
    assert len(entries) >= 12
    for entry in entries:
        assert entry.msgstr and "fuzzy" not in entry.flags and CJK.search(entry.msgstr), entry.msgid
        placeholders = sorted(re.findall(r"%\(\w+\)", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)", entry.msgstr)) == placeholders, entry.msgid
