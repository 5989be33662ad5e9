"""Small database helpers shared by the apps."""

from django.db import connections, router
from django.db.models.sql import InsertQuery

_insert_statements: dict = {}


def insert(obj) -> None:
    """`obj.save()` for a new row, with the INSERT statement compiled once per model.

    Django compiles the same statement anew on every save; on the check-in path that cost
    about as much as SQLite's own work. Values still go through each field's
    `pre_save()` and `get_db_prep_save()`, as in `save()`. Sends no signals: no Rewire
    model has receivers.
    """
    model = type(obj)
    using = router.db_for_write(model, instance=obj)
    connection = connections[using]
    key = (model, using)
    if key not in _insert_statements:
        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        # The statement is compiled from the first object and reused: only plain columns.
        if meta.parents or any(f.generated or f.has_db_default() for f in fields):
            raise TypeError(f"insert() handles plain models only, not {model.__name__}")
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using)
        compiler.returning_fields = [meta.pk]
        [(sql, _)] = compiler.as_sql()
        _insert_statements[key] = sql, fields
    sql, fields = _insert_statements[key]
    values = [field.pre_save(obj, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        raise TypeError("insert() takes values, not expressions such as Now()")
    values = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert:
            obj.pk = cursor.fetchone()[0]
        else:  # SQLite before 3.35
            obj.pk = connection.ops.last_insert_id(
                cursor, model._meta.db_table, model._meta.pk.column
            )
    obj._state.adding = False
    obj._state.db = using
