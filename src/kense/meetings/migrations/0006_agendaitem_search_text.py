"""Agenda items are found by the one search box, like meetings: the folded words of their
titles in every language (kense.core.models.Searchable), filled here for existing rows."""

from django.db import migrations, models

from kense.core.models import search_text_of

BATCH = 2000


def fill_search_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    rows = AgendaItem.objects.only("pk", "title_kk", "title_ru", "title_en").order_by("pk")
    batch = []
    for item in rows.iterator(chunk_size=BATCH):
        item.search_text = search_text_of([item.title_kk, item.title_ru, item.title_en])
        batch.append(item)
        if len(batch) == BATCH:
            AgendaItem.objects.bulk_update(batch, ["search_text"])
            batch = []
    AgendaItem.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_protocol_number_held_early"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
