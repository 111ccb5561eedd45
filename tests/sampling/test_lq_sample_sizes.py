"""The vectorised LQ sample sizes agree with :func:`lq_plan` lot by lot (issue 7, item 8: a fleet's
thousands of lots are planned in one call)."""

from __future__ import annotations

import numpy as np
import pytest

from jiliang.errors import InvalidInput
from jiliang.sampling import lq_plan, lq_sample_sizes


@pytest.mark.parametrize(("lq", "c"), [(5.0, 0), (5.0, 1), (2.0, 0), (12.5, 2)])
def test_same_sample_sizes_as_the_scalar_plan(lq, c):
    sizes = np.array([*range(2, 60, 3), *range(60, 5000, 173), 560000])
    sizes = sizes[np.maximum(1, np.ceil(lq * sizes / 100 - 1e-9)) > c]
    expected = [lq_plan(int(n), lq, acceptance_number=c).sample_size for n in sizes]
    assert lq_sample_sizes(sizes, lq, acceptance_number=c).tolist() == expected


def test_bad_input_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as err:
        lq_sample_sizes([100, 1], 5.0)
    assert err.value.field == "lot_size"
    with pytest.raises(InvalidInput) as err:
        lq_sample_sizes([100.5], 5.0)
    assert err.value.field == "lot_sizes"
    with pytest.raises(InvalidInput) as err:
        lq_sample_sizes([100], 4.0)
    assert err.value.field == "lq"
    with pytest.raises(InvalidInput) as err:
        lq_sample_sizes([10], 5.0, acceptance_number=1)
    assert err.value.field == "acceptance_number"
