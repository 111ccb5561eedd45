import pytest
from django.utils import translation

from jiliang.errors import InvalidInput
from jiliang.registry import validators as v


@pytest.fixture(autouse=True)
def _english():
    """The reasons below are matched in English (the last test reads both languages)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "code",
    # GB 32100-2015's own example and codes whose check character we verified by hand.
    ["91350100M000100Y43", "91310000132200821H", "12100000400000624D"],
)
def test_valid_credit_codes_pass(code):
    assert v.validate_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y44", "check character"),
        ("91350100M000100YI3", "not allowed"),
    ],
)
def test_bad_credit_codes_name_the_reason(code, reason):
    with pytest.raises(InvalidInput) as err:
        v.validate_credit_code(code, "institution.credit_code")
    assert err.value.field == "institution.credit_code"
    assert reason in err.value.reason


def test_every_single_character_change_breaks_the_check_digit():
    code = "91350100M000100Y43"
    for i in range(17):
        for c in v.CREDIT_CODE_CHARS:
            if c != code[i]:
                changed = code[:i] + c + code[i + 1 :]
                with pytest.raises(InvalidInput):
                    v.validate_credit_code(changed)


@pytest.mark.parametrize(
    ("raw", "canonical", "locality"),
    [
        ("JJG 596-2012", "JJG 596-2012", ""),
        ("JJF1059.1-2012", "JJF 1059.1-2012", ""),
        ("JJF(沪)57-2018", "JJF(沪)57-2018", "沪"),
        ("JJG（京）177-2025", "JJG(京)177-2025", "京"),
    ],
)
def test_specification_codes(raw, canonical, locality):
    series, loc, code = v.parse_specification_code(raw)
    assert (code, loc, series) == (canonical, locality, raw[:3])


@pytest.mark.parametrize("raw", ["GB 596-2012", "JJG 596", "JJG 596-12", "JJF(Shanghai)57-2018"])
def test_bad_specification_codes(raw):
    with pytest.raises(InvalidInput, match="not a code like"):
        v.validate_specification_code(raw)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("GBW 07101", "GBW 07101"), ("GBW07101", "GBW 07101"), ("GBW(E)080123", "GBW(E)080123")],
)
def test_gbw_numbers(raw, canonical):
    assert v.validate_gbw_number(raw) == canonical


@pytest.mark.parametrize("raw", ["GBW 0710", "GBW(E)08012", "GBW 071011", "GB 07101", "GBW(F)080123"])
def test_bad_gbw_numbers(raw):
    with pytest.raises(InvalidInput):
        v.validate_gbw_number(raw)


def test_cnas_numbers():
    assert v.validate_cnas_number("cnas l0001") == "CNAS L0001"
    assert v.validate_cnas_number("") == ""
    with pytest.raises(InvalidInput):
        v.validate_cnas_number("L0001")


@pytest.mark.parametrize(
    ("check", "raw", "english", "chinese"),
    [
        (v.validate_credit_code, "91350100M000100Y4", "has 18 characters, got 17", "应为 18 位，实为 17 位"),
        (v.validate_credit_code, "91350100M000100YI3", "not allowed in a unified social credit code: I",
         "不允许的字符：I"),
        (v.validate_credit_code, "91350100M000100Y44", "check character is '4', GB 32100 gives '3'",
         "校验码为 '4'，按 GB 32100 应为 '3'"),
        (v.validate_specification_code, "JJG 596", "is not a code like", "不是形如"),
        (v.validate_gbw_number, "GB 07101", "is not a number like", "的标准物质编号"),
        (v.validate_gbw_number, "GBW(E)08012", "a GBW(E) number has 6 digits", "GBW(E) 编号应为 6 位数字"),
        (v.validate_gbw_number, "GBW 071011", "a GBW number has 5 digits", "GBW 编号应为 5 位数字"),
        (v.validate_cnas_number, "CNAS X1", "is not an accreditation number like", "的认可编号"),
    ],
)  # fmt: skip
def test_the_reasons_are_worded_in_the_active_language(check, raw, english, chinese):
    with translation.override("en"), pytest.raises(InvalidInput) as in_english:
        check(raw)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as in_chinese:
        check(raw)
    assert english in in_english.value.reason
    assert chinese in in_chinese.value.reason
    assert not any("\u4e00" <= c <= "\u9fff" for c in in_english.value.reason.replace("沪", ""))
