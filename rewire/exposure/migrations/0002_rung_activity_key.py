from django.db import migrations, models


def fill_keys(apps, schema_editor):
    # As rewire.exposure.rules.activity_key, frozen here: words whatever their case or spacing.
    Rung = apps.get_model("exposure", "Rung")
    for rung in Rung.objects.all().only("id", "activity"):
        rung.activity_key = " ".join(rung.activity.split()).casefold()
        rung.save(update_fields=["activity_key"])


class Migration(migrations.Migration):
    dependencies = [("exposure", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="rung", name="rung_activity_once"),
        migrations.AddField(
            model_name="rung",
            name="activity_key",
            field=models.CharField(default="", max_length=600),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="rung",
            constraint=models.UniqueConstraint(
                fields=("user", "activity_key"), name="rung_activity_once"
            ),
        ),
    ]
