import core.storages
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="avatar",
            field=models.ImageField(
                blank=True, storage=core.storages.private_storage, upload_to="avatars/", verbose_name="Profilbild"
            ),
        ),
        migrations.RunPython(
            core.storages.move_to_private_storage("network.User", "avatar"), migrations.RunPython.noop
        ),
    ]
