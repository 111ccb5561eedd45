"""Published operating-characteristic figures."""

from jiliang.sampling import probability_of_acceptance


def test_7_cfr_42_140_oc_curve_6():
    """7 CFR § 42.140(c)-(d) (USDA, standards for condition of food containers): the single plan
    n = 500, accept with 3 or fewer defects (OC curve 6, AQL 0.25). "When the quality of lots
    submitted for inspection is 1.0 defects per hundred units, only 26 percent of the lots are
    expected to be accepted"; at 0.10 defects per hundred units "about 99 percent"."""
    pa = probability_of_acceptance([0.010, 0.0010], 500, 3)
    assert round(100 * pa[0]) == 26
    assert round(100 * pa[1]) >= 99
