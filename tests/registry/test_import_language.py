"""The registry import speaks the command's language (zh-hans and en): its errors
(``line N: column: reason``), the "... and N more errors" line and the closing "nothing was
imported". No English is left in zh-hans once the file's own values are removed, no Chinese is in
en, and the errors are the same ones, at the same lines and columns, in both."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import jiliang.registry
from jiliang.cli.main import main
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.platform.models import AuditEntry
from jiliang.registry import models as m
from jiliang.registry.bulk import TYPES, export_records, import_file
from jiliang.registry.policy import actor_for
from tests import factories as f
from tests.language import assert_worded_in, split_error
from tests.platform.crawl import CJK

pytestmark = pytest.mark.django_db
PO = Path(jiliang.registry.__path__[0]) / "locale/zh_Hans/LC_MESSAGES/django.po"
LINE = {"en": re.compile(r"^line (\d+)(: |$)"), "zh-hans": re.compile(r"^第 (\d+) 行(: |$)")}
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")  # values of the file, quoted by repr
CREDIT_CODE = "91350100M000100Y43"
# Words of the file format that a reason names as they are written: record types, choices, columns.
CODES = (
    ", ".join(TYPES),
    *{", ".join(sorted(c.choices)) for t in TYPES.values() for c in t.columns if c.choices},
    *sorted({c.name for t in TYPES.values() for c in t.columns}, key=len, reverse=True),
)


@pytest.fixture
def owner():
    return f.institution(kind="enterprise", credit_code=CREDIT_CODE)


def _instrument(serial: str, **kw) -> dict:
    return {
        "type": "instrument",
        "category": "taximeter",
        "manufacturer": "Acme",
        "model": "T-1",
        "serial_number": serial,
        "owner": CREDIT_CODE,
        "interval_months": 12,
        "last_verification": "2024-01-10",
        "next_due": "2025-01-10",
    } | kw


def _standard(number: str, **kw) -> dict:
    return {
        "type": "standard",
        "name": "Taximeter standard",
        "level": "public",
        "owner": CREDIT_CODE,
        "area": "length",
        "quantity": "distance",
        "expanded_uncertainty": "0.2",
        "coverage_factor": "2",
        "certificate_number": number,
        "certificate_valid_until": "2028-01-01",
    } | kw


def _bad_lines() -> list:
    """A JSON Lines file with a wide range of mistakes, one kind or more per line."""
    material = {
        "type": "reference_material",
        "number": "GBW(E)130001",
        "name": "pH 6.86",
        "producer": 5,
        "property": "pH",
        "certified_value": "1e30",
        "expanded_uncertainty": "0.0000000000001",
        "coverage_factor": "2",
        "unit": "1",
        "expiry": "2027-01-01",
    }
    return [
        "{broken",
        [1, 2],
        {"name": "no type"},
        {"type": "gadget"},
        _instrument(12345, interval_months="twelve", last_verification=20240101, status="lost", colour="red"),
        _instrument("A2", category=7, owner="91350100M000100Y40", district="999999", interval_months=40000,
                    next_due="2024-02-30", manufacturer="x" * 201),
        _instrument("A3", next_due="2020-01-01", interval_months=0),
        _standard("S-1", expanded_uncertainty="x", coverage_factor="Infinity", area=5, level=True),
        _standard("S-2", coverage_factor=None, certificate_valid_until=None),
        _standard("S-3", expanded_uncertainty=None, coverage_factor=None),
        _standard("S-4", expanded_uncertainty="-1"),
        material,
        {"type": "person", "institution": CREDIT_CODE, "name": "Li Wei", "metrologist_level": 2,
         "authorised_categories": ["taximeter"]},
        {"type": "specification", "code": "JJG 596-2012", "title": "Meters", "kind": "verification_regulation",
         "area": "nowhere", "default_interval_months": 0},
        {"type": "authorisation", "institution": CREDIT_CODE, "activity": "verification", "area": "length",
         "specification": "JJG 1-2000", "valid_from": "2024-01-01", "valid_until": "2023-01-01"},
        {"type": "institution", "kind": "enterprise", "credit_code": "91310000132200821H", "district": 5},
        _instrument("A9"),
        _instrument("A9"),
        {"type": "authorisation", "institution": CREDIT_CODE, "activity": "verification", "area": "length",
         "valid_from": "2024-01-01", "valid_until": "2023-01-01", "category": ["nothing"]},
        {"type": "authorisation", "institution": CREDIT_CODE, "activity": "verification", "area": "length",
         "valid_from": "2024-01-01", "valid_until": "2023-01-01"},
    ]  # fmt: skip


def _write_jsonl(tmp_path: Path, lines: list, name: str = "bad.jsonl") -> Path:
    path = tmp_path / name
    text = [line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _errors(path: Path, language: str, **kw) -> list[str]:
    before = (m.Instrument.objects.count(), m.Institution.objects.count(), AuditEntry.objects.count())
    with translation.override(language), pytest.raises(InvalidInputs) as caught:
        import_file(path, **kw)
    after = (m.Instrument.objects.count(), m.Institution.objects.count(), AuditEntry.objects.count())
    assert after == before  # all or nothing
    return [str(e) for e in caught.value.errors]


def _split(error: str, language: str) -> tuple[str, str, str]:
    """(line, column, reason) of an error."""
    return split_error(error, LINE[language], r"[a-z_]+")


def _skeleton(error: str, language: str, details: tuple[str, ...]) -> str:
    """The words of an error, without its line, its column and the file's own values."""
    reason = _split(error, language)[2]
    for detail in (*details, *CODES):  # a parser's own detail, a key of the file, quoted as is
        reason = reason.replace(detail, "")
    return QUOTED.sub("", reason)


def _assert_in_language(errors: list[str], language: str, details: tuple[str, ...] = ()) -> None:
    assert errors
    for error in errors:
        assert LINE[language].match(error) or error == errors[-1], error  # the last may be the count
        words = "" if language == "en" else _skeleton(error, language, details)
        assert_worded_in(language, error, words)


def _structure(errors: list[str], language: str) -> list[tuple[str, str]]:
    return [_split(e, language)[:2] for e in errors]


def _json_says(text: str) -> str:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg
    raise AssertionError(text)


def test_the_errors_of_a_json_lines_file_are_worded_in_either_language(tmp_path, owner):
    path = _write_jsonl(tmp_path, _bad_lines())
    english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
    assert len(english) == len(chinese) >= 36
    assert _structure(english, "en") == _structure(chinese, "zh-hans")
    _assert_in_language(english, "en")
    _assert_in_language(chinese, "zh-hans", (_json_says("{broken"), "Acme, T-1, A9"))
    reasons = {_split(e, "zh-hans")[2] for e in chinese}
    assert len(reasons) >= 30  # many kinds of error, not one repeated
    assert "line 6: owner: unknown institution '91350100M000100Y40'" in english
    assert "第 6 行: owner: 未知的机构 '91350100M000100Y40'" in chinese
    assert "第 7 行: next_due: 早于 last_verification" in chinese
    assert "第 9 行: certificate_valid_until: 给出 certificate_number 时必填" in chinese
    assert "第 18 行: serial_number: 与第 17 行重复（Acme, T-1, A9）" in chinese
    assert "第 20 行: valid_until: 早于 valid_from" in chinese
    assert "line 18: serial_number: duplicate of line 17 (Acme, T-1, A9)" in english


def test_the_errors_of_a_csv_file_are_worded_in_either_language(tmp_path, owner):
    header = "category,manufacturer,model,serial_number,owner,status"
    good = f"taximeter,Acme,T-1,A1,{CREDIT_CODE},in_service"
    files = {
        "instruments.csv": f'{header}\n{good}\n{good},extra\n{good.replace("A1", "A2")}\nx,"open\n',
        "twice.csv": f"{header},model\n{good},T-2\n",
        "data.csv": f"{header}\n{good}\n",
        "utf16.csv": f"{header}\n{good}\n".encode("utf-16"),
    }
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
        assert _structure(english, "en") == _structure(chinese, "zh-hans")
        _assert_in_language(english, "en")
        details = ("unexpected end of data", "invalid start byte", "'utf-8' codec can't decode")
        _assert_in_language(chinese, "zh-hans", details)
    assert "line 3: has 7 fields, the header has 6" in _errors(tmp_path / "instruments.csv", "en")
    assert "第 3 行: 有 7 个字段，表头有 6 个" in _errors(tmp_path / "instruments.csv", "zh-hans")
    assert _errors(tmp_path / "twice.csv", "zh-hans") == ["第 1 行: header: 有列名出现了两次"]


def test_already_in_the_registry_and_not_permitted_in_either_language(tmp_path, owner):
    f.instrument(owner=owner, manufacturer="Acme", model="T-1", serial_number="OLD")
    path = _write_jsonl(tmp_path, [_instrument("OLD")])
    assert _errors(path, "en") == ["line 1: serial_number: already in the registry (Acme, T-1, OLD)"]
    assert _errors(path, "zh-hans") == ["第 1 行: serial_number: 名录中已有此记录（Acme, T-1, OLD）"]
    other = f.institution(kind="enterprise")
    actor = actor_for(f.user_with_role("staff", owner))
    path = _write_jsonl(tmp_path, [_instrument("N1", owner=other.credit_code)], "other.jsonl")
    english, chinese = _errors(path, "en", actor=actor), _errors(path, "zh-hans", actor=actor)
    assert english == [f"line 1: {actor.username} may not create this instrument"]
    assert chinese == [f"第 1 行: {actor.username} 无权创建此 instrument 记录"]
    _assert_in_language(chinese, "zh-hans", (actor.username,))


def test_more_errors_than_are_kept_end_with_the_count_in_either_language(tmp_path, owner):
    path = _write_jsonl(tmp_path, [_instrument(f"S{i}", status="lost") for i in range(150)])
    english, chinese = _errors(path, "en"), _errors(path, "zh-hans")
    assert len(english) == len(chinese) == 101
    assert english[-1] == "... and 50 more errors" and chinese[-1] == "……另有 50 处错误"
    _assert_in_language(english, "en")
    _assert_in_language(chinese, "zh-hans")


def test_errors_before_any_line_follow_the_language(tmp_path):
    path = tmp_path / "records.txt"
    path.write_text("{}\n", encoding="utf-8")
    for language, words in (("en", "say --format csv"), ("zh-hans", "请指定 --format csv")):
        with translation.override(language):
            with pytest.raises(InvalidInput) as suffix:
                import_file(path)
            with pytest.raises(InvalidInput) as kind:
                import_file(path, fmt="jsonl", record_type="gadget")
            with pytest.raises(InvalidInput) as fmt:
                export_records(io.StringIO(), "xml", None)
        assert words in suffix.value.reason
        reasons = [kind.value.reason, fmt.value.reason]
        assert all(bool(CJK.search(r)) == (language == "zh-hans") for r in [suffix.value.reason, *reasons])


@pytest.mark.parametrize(
    ("options", "error", "closing"),
    [
        (["--language", "en"], "line 1: status: 'lost' is not one of in_service, out_of_service, scrapped",
         "nothing was imported"),
        (["--language", "zh-hans"], "第 1 行: status: 'lost' 不是以下之一：in_service, out_of_service, scrapped",
         "未导入任何内容"),
        ([], "第 1 行: status: 'lost' 不是以下之一：in_service, out_of_service, scrapped",
         "未导入任何内容"),  # JILIANG_LANGUAGE=zh-hans (tests/conftest.py)
    ],
)  # fmt: skip
def test_jiliang_import_reports_in_its_language(tmp_path, owner, capsys, options, error, closing):
    path = _write_jsonl(tmp_path, [_instrument("A1", status="lost")])
    assert main([*options, "import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"jiliang: {error}", f"jiliang: {closing}"]
    assert not m.Instrument.objects.exists()


def test_every_message_of_the_import_has_its_chinese():
    entries = [e for e in polib.pofile(str(PO)) if any("bulk/" in path for path, _line in e.occurrences)]
    assert len(entries) > 45
    for entry in entries:
        assert entry.msgstr and "fuzzy" not in entry.flags and CJK.search(entry.msgstr), entry.msgid
        placeholders = sorted(re.findall(r"%\(\w+\)", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)", entry.msgstr)) == placeholders, entry.msgid
