from django.db import migrations

from surveys.feedback_templates import ensure_default_template


def create_defaults(apps, schema_editor):
    template = apps.get_model("surveys", "FeedbackTemplate")
    for kind in ("meeting", "conference"):
        ensure_default_template(template, kind)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_feedback_requests")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
