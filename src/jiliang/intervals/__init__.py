"""Calibration-interval analysis (ILAC-G24 / OIML D 10, NCSLI RP-1, JJF 1139)."""
