from django.db import migrations

from jiliang.supervision.catalogue_seed import seed


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_compulsory_and_risk"),
        ("registry", "0002_seed_catalogues"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
