"""People who started the programme before sessions were paced were told to go at their own
pace: they keep it ("as soon as I finish one") rather than finding the next session closed.
They can choose the trial's rhythm on the programme page. New people get the trial's rhythm."""

from django.db import migrations


def keep_their_pace(apps, schema_editor):
    completions = apps.get_model("program", "SessionCompletion")
    settings = apps.get_model("program", "ProgrammeSettings")
    started = set(completions.objects.values_list("user_id", flat=True))
    chosen = set(settings.objects.values_list("user_id", flat=True))
    settings.objects.bulk_create(
        settings(user_id=user_id, pace="no_wait") for user_id in started if user_id not in chosen
    )


class Migration(migrations.Migration):
    dependencies = [("program", "0002_programmesettings")]

    operations = [migrations.RunPython(keep_their_pace, migrations.RunPython.noop)]
