"""Bulk import and export of registry records (CSV and JSON Lines); see docs/import.md."""

from jiliang.registry.bulk.columns import TYPES, Column, RecordType
from jiliang.registry.bulk.export import export_records
from jiliang.registry.bulk.load import ImportResult, import_file

__all__ = ["TYPES", "Column", "ImportResult", "RecordType", "export_records", "import_file"]
