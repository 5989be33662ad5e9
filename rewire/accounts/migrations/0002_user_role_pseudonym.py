import secrets

from django.db import migrations, models

import rewire.accounts.models


def give_pseudonyms(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("id"):
        user.pseudonym = secrets.token_hex(16)
        user.save(update_fields=["pseudonym"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("patient", "Person keeping a diary"),
                    ("clinician", "Clinician guiding patients"),
                ],
                default="patient",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="pseudonym",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.RunPython(give_pseudonyms, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="pseudonym",
            field=models.CharField(
                default=rewire.accounts.models.new_pseudonym, max_length=32, unique=True
            ),
        ),
    ]
