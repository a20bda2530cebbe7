from django.db import migrations, models


def mark_posts_with_files(apps, schema_editor):
    Post = apps.get_model("forum", "Post")
    Post.objects.filter(attachments__isnull=False).update(has_attachments=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_alter_attachment_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="has_attachments",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_posts_with_files, migrations.RunPython.noop),
    ]
