"""The usage facts table and its triggers on PostgreSQL (see
:mod:`jiliang.calibration.usage_facts`). The impact no longer reads the record and result
tables on PostgreSQL, so the covering indexes of migration 0004 go."""

import importlib
from typing import Any

from django.db import migrations

from jiliang.calibration import usage_facts

_0004 = importlib.import_module("jiliang.calibration.migrations.0004_impact_covering_indexes")


def forwards(apps: Any, schema_editor: Any) -> None:
    _0004.drop(apps, schema_editor)
    usage_facts.install(apps, schema_editor)


def backwards(apps: Any, schema_editor: Any) -> None:
    usage_facts.uninstall(apps, schema_editor)
    _0004.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("calibration", "0004_impact_covering_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
