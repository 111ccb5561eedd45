"""The history import speaks the command's language (zh-hans and en): its own errors
(``line N: column: reason``), the issue guards' findings and the supersession rules it reuses, and
the closing "nothing was imported". No English is left in zh-hans, no Chinese in en, and the
errors are the same ones, at the same lines and columns, in both."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import polib
import pytest
from django.utils import translation

import jiliang.calibration
from jiliang.calibration.history import import_history
from jiliang.calibration.models import Record
from jiliang.cli.main import main
from jiliang.errors import InvalidInputs
from jiliang.platform.models import AuditEntry
from tests import factories
from tests.calibration import builders as b
from tests.calibration import history_files as h
from tests.calibration.test_history_csv import _csv, _rows
from tests.language import assert_worded_in, split_error
from tests.platform.crawl import CJK

pytestmark = pytest.mark.django_db
PO = Path(jiliang.calibration.__path__[0]) / "locale/zh_Hans/LC_MESSAGES/django.po"
LINE = {"en": re.compile(r"^line (\d+)(: |$)"), "zh-hans": re.compile(r"^第 (\d+) 行(: |$)")}
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")  # values of the file, quoted by repr
CODES = ("calibration, verification", "issued, superseded, revoked")  # the values a file may give


@pytest.fixture
def world():
    return h.world()


def _bad_lines(w) -> list:
    """A JSON Lines file with a wide range of mistakes."""
    lab = w["lab"]
    rows = h.records(w, calibration_date="2024-02-30", checker=lab.performer.registration_number)
    rows[1]["results"][0]["coverage_factor"] = "-2"
    rows[0]["results"][1]["tolerance_uper"] = "1"
    broken = h.records(w, certificate_number="H2024-0100")[0]
    return [
        *rows,
        "{not json",
        {"type": "instrument"},
        [1, 2],
        broken | {"kind": "repair", "status": "draft", "area": "nowhere", "issue_date": 20240601,
                  "supersedes": 7, "performer": "Nobody", "checker": None, "temperature": 21,
                  "decision_rule": "guarded", "valid_until": "2024-01-01", "specification": "JJG 0",
                  "results": [h.point(nominal_value="1e30", measured_value="x", unit="",
                                      standards=[{"standard": "NO-SUCH"}, {"reference_material": "GBW-0",
                                                 "certificate": "C-1"}, 5])]},
        broken | {"certificate_number": "H2024-0101", "instrument": None, "status": "revoked",
                  "results": [h.point(tolerance_lower="2", tolerance_upper="1", standards={"standard": 1})]},
        broken | {"certificate_number": "H2024-0102", "results": [],
                  "supersedes": {"number": ""}, "instrument": "serial 7"},
        broken | {"certificate_number": "H2024-0103", "decision_rule": "nonbinary:x"},
        broken | {"certificate_number": "H2024-0104", "decision_rule": "guarded:3"},
        broken | {"certificate_number": "H2024-0105", "results": [h.point(coverage_probability="1.5")]},
    ]  # fmt: skip


def _errors(path: Path, language: str) -> list[str]:
    before = (Record.objects.count(), AuditEntry.objects.count())
    with translation.override(language), pytest.raises(InvalidInputs) as caught:
        import_history(path, min_uncertainty_ratio=b.RATIO)
    assert (Record.objects.count(), AuditEntry.objects.count()) == before  # all or nothing
    return [str(e) for e in caught.value.errors]


def _split(error: str, language: str) -> tuple[str, str, str]:
    """(line, member path or column, reason) of an error."""
    return split_error(error, LINE[language], r"[A-Za-z0-9_.\[\]]+")


def _skeleton(error: str, language: str, details: tuple[str, ...] = ()) -> str:
    """The words of an error, without its line, its member path and the file's own values."""
    reason = _split(error, language)[2]
    for detail in (*details, *CODES):  # a parser's own detail (the JSON module's), quoted as is
        reason = reason.replace(detail, "")
    return QUOTED.sub("", reason)


def _assert_in_language(errors: list[str], language: str, details: tuple[str, ...] = ()) -> None:
    for error in errors:
        assert LINE[language].match(error), error
        assert_worded_in(language, error, _skeleton(error, language, details))


def _structure(errors: list[str], language: str) -> list[tuple[str, str]]:
    """Line and member path of each error: the same in both languages."""
    return [_split(e, language)[:2] for e in errors]


def test_the_errors_of_a_json_lines_file_are_worded_in_either_language(tmp_path, world):
    path = h.jsonl(tmp_path, _bad_lines(world))
    try:
        json.loads("{not json")
    except json.JSONDecodeError as exc:
        parser_says = exc.msg
    english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
    assert len(english) == len(chinese) > 30
    assert _structure(english, "en") == _structure(chinese, "zh-hans")
    _assert_in_language(english, "en")
    _assert_in_language(chinese, "zh-hans", (parser_says,))
    assert "line 1: calibration_date: '2024-02-30' is not a date YYYY-MM-DD" in english
    assert "第 1 行: calibration_date: '2024-02-30' 不是 YYYY-MM-DD 格式的日期" in chinese
    assert "第 4 行: type: 必须为 'record'（名录数据请放在单独的文件中）" in chinese
    assert "line 6: results[0].unit: required" in english  # the point's path, not the record's member
    assert "第 6 行: kind: 'repair' 不是以下之一：calibration, verification" in chinese


def test_more_errors_than_are_kept_end_with_the_count_in_either_language(tmp_path, world):
    path = h.jsonl(tmp_path, [{"type": "instrument"}] * 103)
    english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
    assert english[-1] == "... and 3 more errors" and chinese[-1] == "……另有 3 处错误"
    assert len(english) == len(chinese) == 101


def test_the_errors_of_a_csv_file_are_worded_in_either_language(tmp_path, world):
    rows = _rows(world)
    rows[2] |= {
        "checker": world["lab"].performer.name,
        "measured_value": "ten",
        "reference_materials": "GBW-0",
    }
    rows[1] |= {"standards": "EX-1 @ A @ B @ C; NO-SUCH-STANDARD"}
    rows.append(
        rows[0] | {"certificate_number": "H2024-0009", "standards": "EX-2 @ NO-CERT", "decision": "reject"}
    )
    text = _csv(rows)
    short = text.rstrip("\r\n") + "\r\nverification,only two\r\n"
    header = text.splitlines()[0]
    twice = text.replace(header, header + ",unit,measured_valu", 1)
    for content in (text, short, twice):
        path = h.csv_file(tmp_path, content)
        english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
        assert _structure(english, "en") == _structure(chinese, "zh-hans")
        _assert_in_language(english, "en")
        _assert_in_language(chinese, "zh-hans")
    assert "第 1 行: header: 列 unit 出现了两次" in chinese and "第 1 行: measured_valu: 未知的列" in chinese
    gbk = h.csv_file(tmp_path, text, encoding="gb18030")
    for language in ("en", "zh-hans"):
        [error] = _errors(gbk, language)
        _assert_in_language([error], language)


def test_guard_findings_and_supersession_rules_follow_the_language(tmp_path, world):
    world["lab"].performer.registration_valid_until = date(2024, 1, 1)  # lapsed before 2024-06-01
    world["lab"].performer.save()
    path = h.jsonl(tmp_path, h.records(world))
    with translation.override("zh-hans"):
        [finding] = import_history(path, min_uncertainty_ratio=b.RATIO).findings
    assert finding.startswith("第 1 行: performer: ") and "没有有效的注册计量师资格" in finding
    other = factories.instrument()
    item = {"manufacturer": other.manufacturer, "model": other.model, "serial_number": other.serial_number}
    replacement = h.records(world)[0] | {"certificate_number": "H2024-0002", "supersedes": "H2024-0001",
                                         "instrument": item}  # fmt: skip
    path = h.jsonl(tmp_path, [replacement], "replacement.jsonl")
    assert _errors(path, "en") == ["line 1: supersedes: record H2024-0001 is of another item"]
    assert _errors(path, "zh-hans") == [
        "第 1 行: supersedes: 记录 H2024-0001 针对的是另一台计量器具或另一项计量标准"
    ]


@pytest.mark.parametrize(
    ("options", "error", "closing"),
    [
        (["--language", "en"], "line 1: kind: 'repair' is not one of calibration, verification", "nothing was imported"),
        (["--language", "zh-hans"], "第 1 行: kind: 'repair' 不是以下之一：calibration, verification", "未导入任何内容"),
        ([], "第 1 行: kind: 'repair' 不是以下之一：calibration, verification", "未导入任何内容"),  # JILIANG_LANGUAGE
    ],
)  # fmt: skip
def test_jiliang_import_reports_in_its_language(tmp_path, world, capsys, options, error, closing):
    path = h.jsonl(tmp_path, h.records(world, kind="repair"), "bad.jsonl")
    assert main([*options, "import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"jiliang: {error}", f"jiliang: {closing}"]
    world["lab"].performer.registration_valid_until = date(2024, 1, 1)
    world["lab"].performer.save()
    assert main([*options, "import", str(h.jsonl(tmp_path, h.records(world)))]) == 0
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert bool(CJK.search(finding)) == (closing == "未导入任何内容")


def test_every_message_of_the_import_has_its_chinese():
    entries = [
        e
        for e in polib.pofile(str(PO))
        if any(re.search(r"history(_\w+)?\.py$", path) for path, _line in e.occurrences)
    ]
    assert len(entries) > 50
    for entry in entries:
        chinese = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert chinese and "fuzzy" not in entry.flags and CJK.search(chinese), entry.msgid
        placeholders = sorted(re.findall(r"%\(\w+\)", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)", chinese)) == placeholders, entry.msgid


def test_the_links_of_a_file_are_refused_in_either_language(tmp_path, world):
    """Certificates and ``supersedes`` are resolved once every line is read: their errors too."""
    user, cert = h.records(world)
    unknown = user | {
        "certificate_number": "H2024-0002",
        "results": [
            h.point(
                standards=[{"standard": world["standard"].certificate_number, "certificate": "NMI-2099-1"}]
            )
        ],
    }
    first = user | {"certificate_number": "H2024-0003", "supersedes": "H2024-0004"}
    second = user | {"certificate_number": "H2024-0004", "supersedes": "H2024-0003"}
    itself = user | {"certificate_number": "H2024-0005", "supersedes": "H2024-0005"}
    twice = user | {"certificate_number": "H2024-0006", "supersedes": "H2024-0001"}
    again = user | {"certificate_number": "H2024-0007", "supersedes": "H2024-0001"}
    gone = user | {"certificate_number": "H2024-0008", "supersedes": "H2019-0404"}
    path = h.jsonl(tmp_path, [user, cert, unknown, first, second, itself, twice, again, gone])  # fmt: skip
    english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
    assert len(english) >= 5 and _structure(english, "en") == _structure(chinese, "zh-hans")
    _assert_in_language(english, "en")
    _assert_in_language(chinese, "zh-hans")
    assert (
        "line 3: results[0].standards[0].certificate: no certificate NMI-2099-1 in the database or the file"
        in english
    )
    assert "第 8 行: supersedes: 记录 H2024-0001 已被第 7 行替代" in chinese
    assert any("这些记录相互替代，形成循环（第 " in e for e in chinese)
