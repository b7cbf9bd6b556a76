"""Indicators are found by the folded search like every other name (not by icontains)."""

from django.db import migrations, models

from kense.core.models import search_text_of


def fill_search_text(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for row in Indicator.objects.all():
        row.search_text = search_text_of(
            [row.code, row.name_kk, row.name_ru, row.name_en]
        )
        row.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicator",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="indicator",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
