"""Positions are found by the folded search like every other name (not by icontains)."""

from django.db import migrations, models

from kense.text.kazakh import search_terms


def fill_search_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    Position = apps.get_model("registry", "Position")
    for position in Position.objects.all():
        terms: list[str] = []
        for spelling in (position.code, position.name_kk, position.name_ru, position.name_en):
            for term in search_terms(spelling or ""):
                if term not in terms:
                    terms.append(term)
        position.search_text = " " + " ".join(terms) + " "
        position.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalposition",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="position",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
