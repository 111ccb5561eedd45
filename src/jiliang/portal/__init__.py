"""Public pages without login: institution and standards directories, instrument lookup."""
