from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_search_index_and_default_boards")]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(fields=["topic", "number"], name="forum_post_topic_number"),
        ),
    ]
