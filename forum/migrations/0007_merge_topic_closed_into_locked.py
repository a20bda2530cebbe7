"""`Topic.is_closed` meant the same as `is_locked` (no more replies): one flag remains."""

from django.db import migrations


def closed_topics_become_locked(apps, schema_editor):
    apps.get_model("forum", "Topic").objects.filter(is_closed=True).update(is_locked=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0006_suspension_board"),
    ]

    operations = [
        # Backwards, the topics stay locked: that is what they were.
        migrations.RunPython(closed_topics_become_locked, migrations.RunPython.noop),
        migrations.RemoveField(model_name="topic", name="is_closed"),
    ]
