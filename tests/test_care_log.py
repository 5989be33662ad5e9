"""The access log is append-only in the database itself, on SQLite and on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from rewire.care.models import AccessLog


def test_a_row_can_be_added_but_never_changed_or_deleted(alice, carol):
    row = AccessLog.objects.create(patient=alice.pseudonym, clinician=carol.pseudonym, what="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(what="nothing to see")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:  # raw SQL too: the database itself refuses
            cursor.execute("DELETE FROM care_accesslog")
    assert AccessLog.objects.get(pk=row.pk).what == "x"


def test_a_new_account_gets_its_own_pseudonym(alice, carol):
    assert len(alice.pseudonym) == 32 and alice.pseudonym != carol.pseudonym
    assert alice.email not in alice.pseudonym
