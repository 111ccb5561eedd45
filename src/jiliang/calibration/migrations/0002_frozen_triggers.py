from django.db import migrations

from jiliang.calibration.frozen import install


class Migration(migrations.Migration):
    dependencies = [("calibration", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
