import core.storages
import forum.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_post_topic_number_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(storage=core.storages.private_storage, upload_to=forum.models.attachment_path),
        ),
        migrations.RunPython(
            core.storages.move_to_private_storage("forum.Attachment", "file"), migrations.RunPython.noop
        ),
    ]
