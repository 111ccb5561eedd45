from django.utils import translation

from jiliang.errors import Conflict, InvalidInput, InvalidInputs, JiliangError, NotFound, PermissionDenied
from tests.platform.crawl import TWO_ASCII_WORDS


def test_invalid_input_names_field_and_reason():
    err = InvalidInput("inputs.l_s.std_uncertainty", "must be >= 0, got -1")
    assert isinstance(err, ValueError) and isinstance(err, JiliangError)
    assert str(err) == "inputs.l_s.std_uncertainty: must be >= 0, got -1"


def test_categories_are_distinct():
    assert isinstance(NotFound("certificate", "X1"), LookupError)
    assert str(NotFound("certificate", "X1")) == "no certificate 'X1'"
    assert "issued" in str(Conflict("record is issued", "status"))
    assert str(PermissionDenied("edit instrument", "other institution")).startswith("not permitted")


def test_invalid_inputs_reports_all():
    err = InvalidInputs([InvalidInput("a", "bad"), InvalidInput("b", "worse")])
    assert str(err) == "a: bad; b: worse"
    assert err.field == "a"


def test_first_of_says_how_many_more_errors_were_found():
    kept = [InvalidInput("a", "bad"), InvalidInput("b", "worse")]
    assert [str(e) for e in InvalidInputs.first_of(kept, 2).errors] == ["a: bad", "b: worse"]
    with translation.override("en"):
        more = InvalidInputs.first_of(kept, 7)
    assert more.errors[-1].reason == "... and 5 more errors" and len(more.errors) == 3
    with translation.override("zh-hans"):
        chinese = InvalidInputs.first_of(kept, 7)
    assert chinese.errors[-1].reason == "……另有 5 处错误" and not TWO_ASCII_WORDS.search(
        chinese.errors[-1].reason
    )
