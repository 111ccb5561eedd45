"""docs/import.md documents every column of every record type."""

from pathlib import Path

from jiliang.registry.bulk.columns import TYPES

DOC = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")


def test_every_column_is_documented_under_its_type():
    for name, record_type in TYPES.items():
        section = DOC.split(f"### `{name}`", 1)[1].split("###", 1)[0]
        for column in record_type.columns:
            assert f"| `{column.name}` |" in section, f"{name}.{column.name} missing from docs/import.md"
