import numpy as np
import pytest

from jiliang.errors import InvalidInput
from jiliang.sampling import lot_decisions, single_plan
from jiliang.sampling.tables import iso2859_1


@pytest.mark.parametrize("inspection", ["normal", "tightened", "reduced"])
@pytest.mark.parametrize("level", ["S-1", "II", "III"])
def test_vectorised_decisions_equal_the_scalar_plan(inspection, level):
    rng = np.random.default_rng(7)
    lots = rng.integers(2, 2_000_000, 300)
    lots[:4] = [2, 8, 500000, 500001]
    aqls = rng.choice(np.asarray(iso2859_1().aql_values), lots.size)
    counts = rng.integers(0, 4, lots.size)
    got = lot_decisions(lots, counts, aqls, level, inspection)
    for i in range(lots.size):
        plan = single_plan(int(lots[i]), float(aqls[i]), level, inspection)
        assert got.sample_size[i] == plan.sample_size
        assert got.acceptance_number[i] == plan.acceptance_number
        assert got.inspect_all[i] == plan.inspect_all
        assert got.accepted[i] == plan.accepts(int(counts[i]))


def test_scalar_aql_and_bad_input():
    got = lot_decisions([2000, 2000], [3, 4], 1.0)
    assert got.accepted.tolist() == [True, False]
    with pytest.raises(InvalidInput, match=r"aql\[1\]"):
        lot_decisions([2000, 2000], [0, 0], [1.0, 0.3])
    with pytest.raises(InvalidInput, match=r"lot_sizes\[0\]"):
        lot_decisions([0], [0], 1.0)
    with pytest.raises(InvalidInput, match=r"nonconforming\[1\]"):
        lot_decisions([10, 10], [0, -1], 1.0)
