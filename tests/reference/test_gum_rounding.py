"""JCGM 100:2008 7.2.6: uncertainties to at most two significant digits, the estimate to match."""

from jiliang.uncertainty.report import round_result


def test_gum_7_2_6_estimate_rounded_to_the_uncertainty():
    """7.2.6: y = 10.057 62 Ω with u_c(y) = 27 mΩ is reported as y = 10.058 Ω."""
    assert round_result(10.05762, 0.027) == ("10.058", "0.027")


def test_gum_7_2_6_uncertainty_to_two_digits():
    """7.2.6: u_c(y) = 28.05 kHz is rounded down to 28 kHz."""
    assert round_result(1000.0, 28.05)[1] == "28"


def test_large_uncertainties_round_to_tens():
    assert round_result(50000837.99, 31.71) == ("50000838", "32")
    assert round_result(123456.0, 1234.0) == ("123500", "1200")
