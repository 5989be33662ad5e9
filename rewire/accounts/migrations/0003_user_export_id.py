import secrets

from django.db import migrations, models

import rewire.accounts.models


def give_export_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("id"):
        user.export_id = secrets.token_hex(16)
        user.save(update_fields=["export_id"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_role_pseudonym")]

    operations = [
        migrations.AddField(
            model_name="user", name="export_id", field=models.CharField(max_length=32, null=True)
        ),
        migrations.RunPython(give_export_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="export_id",
            field=models.CharField(
                default=rewire.accounts.models.new_pseudonym, max_length=32, unique=True
            ),
        ),
    ]
