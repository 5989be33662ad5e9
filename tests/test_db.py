"""rewire.core.db.insert(): the check-in's INSERT, compiled once, stores what save() would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from rewire.core.db import insert
from rewire.diary.models import CheckIn

WHEN = dt.datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=dt.UTC)


def full_checkin(user, **changes):
    fields = {
        "user": user,
        "recorded_at": WHEN,
        "local_date": dt.date(2026, 3, 29),
        "pain": 7,
        "is_flare": True,
        "stress": 3,
        "thought": "It will never stop — ça ira",
        "movement_minutes": 25,
        "sleep_hours": Decimal("6.5"),
        "sleep_quality": 4,
        "note": "a\nnote",
        "created_at": WHEN,
        "updated_at": WHEN,
    }
    return CheckIn(**{**fields, **changes})


def test_insert_stores_what_save_stores(alice):
    saved = full_checkin(alice)
    saved.save()
    inserted = full_checkin(alice)
    insert(inserted)
    sparse = full_checkin(alice, stress=None, sleep_hours=None, sleep_quality=None, thought="")
    insert(sparse)

    assert inserted.pk not in (None, saved.pk)
    assert not inserted._state.adding
    reloaded = {c.pk: model_to_dict(c, exclude=["id"]) for c in CheckIn.objects.all()}
    assert reloaded[inserted.pk] == reloaded[saved.pk]
    assert reloaded[inserted.pk]["sleep_hours"] == Decimal("6.5")
    assert CheckIn.objects.get(pk=inserted.pk).recorded_at == WHEN
    assert reloaded[sparse.pk]["stress"] is None
    assert reloaded[sparse.pk]["sleep_hours"] is None
    # The next insert reuses the statement and gets a new row.
    again = full_checkin(alice, pain=0)
    insert(again)
    assert CheckIn.objects.get(pk=again.pk).pain == 0


def test_insert_refuses_what_a_statement_compiled_once_cannot_hold(alice):
    from django.db.models.functions import Now

    with pytest.raises(TypeError, match="expressions"):
        insert(full_checkin(alice, created_at=Now()))
    assert not CheckIn.objects.exists()
