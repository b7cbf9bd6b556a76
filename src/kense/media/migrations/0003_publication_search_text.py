"""Publications are found by the folded search of their title like every other name (not by
icontains)."""

from django.db import migrations, models

from kense.text.kazakh import search_terms

BATCH = 1000


def fill_search_text(apps, schema_editor):
    Publication = apps.get_model("media", "Publication")
    batch = []
    for publication in Publication.objects.only("pk", "title").iterator(chunk_size=BATCH):
        terms: list[str] = []
        for term in search_terms(publication.title or ""):
            if term not in terms:
                terms.append(term)
        publication.search_text = " " + " ".join(terms) + " "
        batch.append(publication)
        if len(batch) == BATCH:
            Publication.objects.bulk_update(batch, ["search_text"])
            batch = []
    Publication.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0002_publication_organizations_programs"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
