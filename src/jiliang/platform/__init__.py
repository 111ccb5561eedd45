"""The Django platform: settings, URLs, authentication and roles, the audit log, API conventions."""
