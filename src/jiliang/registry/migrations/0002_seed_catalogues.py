from django.db import migrations


def seed(apps, schema_editor):
    from jiliang.registry.catalogue_seed import seed as load_catalogues

    load_catalogues(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
