"""Calibration and verification records (校准 / 检定): results per measurement point, the standards
used, the certificate workflow and the guards that run when a certificate is issued (issue 5)."""
