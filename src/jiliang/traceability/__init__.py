"""Traceability chains to the national primary standards (VIM 2.41; ISO/IEC 17025:2017 6.5) and
out-of-tolerance impact analysis (reverse traceability, ISO/IEC 17025:2017 7.10)."""
