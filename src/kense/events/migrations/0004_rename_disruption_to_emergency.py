# Written by hand: Disruption becomes Emergency in the code only. Every table, column, index and
# constraint keeps its name, so the database is not touched (`sqlmigrate events 0004` prints no
# DDL); only Django's idea of the models changes, and the content types follow, so comments and
# history attached through them stay attached.
#
# Renamed in the state, kept in the database:
#   Disruption                        -> Emergency                    (events_disruption)
#   its territories, auto-created     -> EmergencyTerritory, declared (events_disruption_territories,
#     through model                      column disruption_id: an automatic through model would name
#                                        it after the new model, emergency_id)
#   Event.disruption                  -> Event.emergency              (column disruption_id)
#   HistoricalDisruption              -> HistoricalEmergency          (events_historicaldisruption)
#   HistoricalDisruption_territories  -> HistoricalEmergencyTerritory
#                                        (events_historicaldisruption_territories)
#   HistoricalEvent.disruption        -> HistoricalEvent.emergency    (column disruption_id)

import django.db.models.deletion
from django.db import IntegrityError, migrations, models, transaction

# (old model name, new model name) of the content types, all in the app "events".
CONTENT_TYPES = [
    ("disruption", "emergency"),
    ("historicaldisruption", "historicalemergency"),
    ("historicaldisruption_territories", "historicalemergencyterritory"),
]
ACTIONS = ("add", "change", "delete", "view")


def _rename_content_types(apps, schema_editor, pairs):
    """The content type keeps its id, so what points to it (comments, attachments) stays; its
    permissions are renamed with it, rather than left beside new ones the next migrate adds."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for old, new in pairs:
        found = ContentType.objects.using(db).filter(app_label="events", model=old).first()
        if found is None:  # a new database: the content types are made after the migrations
            continue
        found.model = new
        try:
            with transaction.atomic(using=db):
                found.save(update_fields=["model"])
                for action in ACTIONS:
                    Permission.objects.using(db).filter(
                        content_type=found, codename=f"{action}_{old}"
                    ).update(codename=f"{action}_{new}")
        except IntegrityError:
            # One of the new name exists already (made by a migrate run after this migration
            # was reversed): leave the old one, as Django's own RenameContentType does;
            # `remove_stale_contenttypes` deals with it.
            pass


def rename_content_types(apps, schema_editor):
    _rename_content_types(apps, schema_editor, CONTENT_TYPES)


def restore_content_types(apps, schema_editor):
    _rename_content_types(apps, schema_editor, [(new, old) for old, new in CONTENT_TYPES])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0003_covering_indexes"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # The model, on its old table.
                migrations.RenameModel(old_name="Disruption", new_name="Emergency"),
                migrations.AlterModelTable(name="emergency", table="events_disruption"),
                # Its territories, through the table Django had made for them.
                migrations.CreateModel(
                    name="EmergencyTerritory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "emergency",
                            models.ForeignKey(
                                db_column="disruption_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="events.emergency",
                            ),
                        ),
                        (
                            "territory",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="registry.territory",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "events_disruption_territories",
                        "unique_together": {("emergency", "territory")},
                    },
                ),
                migrations.AlterField(
                    model_name="emergency",
                    name="territories",
                    field=models.ManyToManyField(
                        help_text="Each with everything inside it.",
                        related_name="emergencies",
                        through="events.EmergencyTerritory",
                        to="registry.territory",
                        verbose_name="territories affected",
                    ),
                ),
                # The events' link to it, on its old column. The covering index names the field.
                migrations.RemoveIndex(model_name="event", name="event_territory_start"),
                migrations.RenameField(
                    model_name="event", old_name="disruption", new_name="emergency"
                ),
                migrations.AlterField(
                    model_name="event",
                    name="emergency",
                    field=models.ForeignKey(
                        blank=True,
                        db_column="disruption_id",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="events.emergency",
                        verbose_name="postponed because of",
                    ),
                ),
                migrations.AddIndex(
                    model_name="event",
                    index=models.Index(
                        fields=["territory", "start"],
                        include=("id", "end", "status", "beyond_plan", "emergency"),
                        name="event_territory_start",
                    ),
                ),
                # The history (django-simple-history), on its old tables and columns.
                migrations.RenameModel(
                    old_name="HistoricalDisruption", new_name="HistoricalEmergency"
                ),
                migrations.AlterModelTable(
                    name="historicalemergency", table="events_historicaldisruption"
                ),
                migrations.RenameModel(
                    old_name="HistoricalDisruption_territories",
                    new_name="HistoricalEmergencyTerritory",
                ),
                migrations.AlterModelTable(
                    name="historicalemergencyterritory",
                    table="events_historicaldisruption_territories",
                ),
                migrations.AlterModelOptions(
                    name="historicalemergencyterritory",
                    options={"verbose_name": "HistoricalEmergencyTerritory"},
                ),
                migrations.RenameField(
                    model_name="historicalemergencyterritory",
                    old_name="disruption",
                    new_name="emergency",
                ),
                migrations.AlterField(
                    model_name="historicalemergencyterritory",
                    name="emergency",
                    field=models.ForeignKey(
                        blank=True,
                        db_column="disruption_id",
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="events.emergency",
                    ),
                ),
                # Copied from a declared through model, the field has no db_tablespace="" (the
                # default: no tablespace either way).
                migrations.AlterField(
                    model_name="historicalemergencyterritory",
                    name="territory",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="registry.territory",
                    ),
                ),
                migrations.RenameField(
                    model_name="historicalevent", old_name="disruption", new_name="emergency"
                ),
                migrations.AlterField(
                    model_name="historicalevent",
                    name="emergency",
                    field=models.ForeignKey(
                        blank=True,
                        db_column="disruption_id",
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="events.emergency",
                        verbose_name="postponed because of",
                    ),
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
