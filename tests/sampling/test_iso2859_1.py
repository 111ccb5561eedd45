import pytest

from jiliang.errors import InvalidInput
from jiliang.sampling import single_plan


def test_inspect_all_when_the_sample_reaches_the_lot():
    plan = single_plan(3, 0.010)  # letter A, long down arrow to Q (n = 1250)
    assert plan.inspect_all and plan.sample_size == 3 and plan.plan_code_letter == "Q"
    assert not single_plan(2000, 1.0).inspect_all


def test_accepts_up_to_ac():
    plan = single_plan(2000, 1.0)
    assert plan.accepts(3) and not plan.accepts(4)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot_size": 0, "aql": 1.0}, "lot_size"),
        ({"lot_size": 1, "aql": 1.0}, "lot_size"),
        ({"lot_size": 2.5, "aql": 1.0}, "lot_size"),
        ({"lot_size": 100, "aql": 0.3}, "aql"),
        ({"lot_size": 100, "aql": "x"}, "aql"),
        ({"lot_size": 100, "aql": 1.0, "level": "IV"}, "level"),
        ({"lot_size": 100, "aql": 1.0, "inspection": "strict"}, "inspection"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as err:
        single_plan(**kwargs)
    assert err.value.field == field


def test_aql_error_lists_the_allowed_values():
    with pytest.raises(InvalidInput, match="0.010.*1000"):
        single_plan(100, 0.3)
