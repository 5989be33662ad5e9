from django.db import migrations

from rewire.care import append_only


def create(apps, schema_editor):
    statements = {
        "sqlite": append_only.SQLITE_CREATE,
        "postgresql": append_only.POSTGRESQL_CREATE,
    }[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    statements = {
        "sqlite": append_only.SQLITE_DROP,
        "postgresql": append_only.POSTGRESQL_DROP,
    }[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
