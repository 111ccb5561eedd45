"""Digital Calibration Certificates (PTB DCC): build, parse, validate, sign and verify."""
