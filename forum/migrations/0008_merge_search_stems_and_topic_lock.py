# Joins the search-index rebuild (0006_search_index_of_stems) and the suspension/lock line (0007).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0006_search_index_of_stems"),
        ("forum", "0007_merge_topic_closed_into_locked"),
    ]

    operations = []
