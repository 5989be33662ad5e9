"""Writes to the diary. The web views, the API, the import and the demo all call these."""

import datetime as dt

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.db import insert
from rewire.core.errors import InvalidEntry
from rewire.diary.entry import CheckInEntry, problems_with
from rewire.diary.models import BodyAreaRating, CheckIn, EmotionRating, Tag
from rewire.diary.vocabulary import STARTER_CONTEXT_TAGS, STARTER_HELPED_TAGS


def get_checkin_for(user, pk) -> CheckIn:
    """The user's own check-in, or 404 (a stranger learns nothing, not even that it exists)."""
    return get_object_or_404(CheckIn.objects.for_user(user), pk=pk)


def ensure_starter_tags(*, user) -> None:
    existing = set(Tag.objects.for_user(user).values_list("kind", "name"))
    Tag.objects.bulk_create(
        Tag(user=user, kind=kind, name=name)
        for kind, names in ((Tag.CONTEXT, STARTER_CONTEXT_TAGS), (Tag.HELPED, STARTER_HELPED_TAGS))
        for name in names
        if (kind, name) not in existing
    )


def ensure_tags(*, user, names) -> tuple[dict[tuple[str, str], Tag], int]:
    """All of the user's tags by (kind, name), adding the (kind, name) pairs missing.

    Returns the tags and how many were added.
    """
    tags = {(tag.kind, tag.name): tag for tag in Tag.objects.for_user(user)}
    missing = [pair for pair in dict.fromkeys(names) if pair not in tags]
    for kind, name in missing:
        tags[(kind, name)] = Tag.objects.create(user=user, kind=kind, name=name)
    return tags, len(missing)


def validated(entry: CheckInEntry) -> CheckInEntry:
    entry = entry.normalised()
    if problems := problems_with(entry, now=timezone.now()):
        raise InvalidEntry(problems)
    return entry


def _tags_named(user, kind: str, names: list[str]) -> list[Tag]:
    if not names:
        return []
    found = {tag.name: tag for tag in Tag.objects.for_user(user).filter(kind=kind, name__in=names)}
    for name in names:
        if name not in found:
            # get_or_create: another request may be adding the same new tag right now.
            found[name], _ = Tag.objects.get_or_create(user=user, kind=kind, name=name)
    return [found[name] for name in names]


def local_date_of(user, moment: dt.datetime) -> dt.date:
    return moment.astimezone(user.zone).date()


def _write_details(checkin: CheckIn, entry: CheckInEntry) -> None:
    # Most check-ins are one tap: skip the empty writes.
    if entry.body_areas:
        BodyAreaRating.objects.bulk_create(
            BodyAreaRating(checkin=checkin, area=area, intensity=intensity)
            for area, intensity in entry.body_areas
        )
    if entry.emotions:
        EmotionRating.objects.bulk_create(
            EmotionRating(checkin=checkin, name=name, intensity=intensity)
            for name, intensity in entry.emotions
        )
    if entry.tags:
        checkin.tags.set(_tags_named(checkin.user, Tag.CONTEXT, entry.tags))
    if entry.helped:
        checkin.helped.set(_tags_named(checkin.user, Tag.HELPED, entry.helped))


_SCALAR_FIELDS = (
    "pain",
    "recorded_at",
    "is_flare",
    "stress",
    "thought",
    "movement_minutes",
    "sleep_hours",
    "sleep_quality",
    "note",
)


@transaction.atomic
def record_checkin(*, user, entry: CheckInEntry, created_at: dt.datetime | None = None) -> CheckIn:
    entry = validated(entry)
    now = timezone.now()
    checkin = CheckIn(
        user=user,
        local_date=local_date_of(user, entry.recorded_at),
        created_at=created_at or now,
        updated_at=created_at or now,
        **{name: getattr(entry, name) for name in _SCALAR_FIELDS},
    )
    insert(checkin)
    _write_details(checkin, entry)
    checkin.saved_entry = entry  # as stored: trimmed, normalised names
    return checkin


@transaction.atomic
def update_checkin(*, user, pk, entry: CheckInEntry) -> CheckIn:
    checkin = get_checkin_for(user, pk)
    entry = validated(entry)
    if entry.recorded_at != checkin.recorded_at:
        # The date is fixed when the time is set: a later change of timezone alone moves nothing.
        checkin.local_date = local_date_of(user, entry.recorded_at)
    for name in _SCALAR_FIELDS:
        setattr(checkin, name, getattr(entry, name))
    checkin.updated_at = timezone.now()
    checkin.save()
    checkin.body_areas.all().delete()
    checkin.emotions.all().delete()
    checkin.tags.clear()
    checkin.helped.clear()
    _write_details(checkin, entry)
    return checkin


@transaction.atomic
def delete_checkin(*, user, pk) -> None:
    get_checkin_for(user, pk).delete()


def record_flare(*, user, pain: int) -> CheckIn:
    """The one-tap flare: pain and time now; details can be added later."""
    return record_checkin(
        user=user, entry=CheckInEntry(pain=pain, recorded_at=timezone.now(), is_flare=True)
    )


def entry_from_checkin(checkin: CheckIn) -> CheckInEntry:
    """The entry a stored check-in holds (for editing, the API and export)."""
    return CheckInEntry(
        pain=checkin.pain,
        recorded_at=checkin.recorded_at,
        is_flare=checkin.is_flare,
        body_areas=[(r.area, r.intensity) for r in checkin.body_areas.all()],
        emotions=[(r.name, r.intensity) for r in checkin.emotions.all()],
        stress=checkin.stress,
        tags=sorted(tag.name for tag in checkin.tags.all()),
        thought=checkin.thought,
        helped=sorted(tag.name for tag in checkin.helped.all()),
        movement_minutes=checkin.movement_minutes,
        sleep_hours=checkin.sleep_hours,
        sleep_quality=checkin.sleep_quality,
        note=checkin.note,
    )


def with_details(queryset):
    return queryset.prefetch_related("body_areas", "emotions", "tags", "helped")


def write_checkins(
    user, rows: list[tuple[CheckInEntry, dt.date, dt.datetime, dt.datetime]], *, tags
):
    """Bulk-write many already validated check-ins (import and demo data)."""
    checkins = CheckIn.objects.bulk_create(
        CheckIn(
            user=user,
            local_date=local_date,
            created_at=created,
            updated_at=updated,
            **{name: getattr(e, name) for name in _SCALAR_FIELDS},
        )
        for e, local_date, created, updated in rows
    )
    areas, emotions, tag_links, helped_links = [], [], [], []
    for checkin, (entry, *_) in zip(checkins, rows, strict=True):
        areas += [BodyAreaRating(checkin=checkin, area=a, intensity=i) for a, i in entry.body_areas]
        emotions += [EmotionRating(checkin=checkin, name=n, intensity=i) for n, i in entry.emotions]
        tag_links += [
            CheckIn.tags.through(checkin=checkin, tag=tags[(Tag.CONTEXT, n)]) for n in entry.tags
        ]
        helped_links += [
            CheckIn.helped.through(checkin=checkin, tag=tags[(Tag.HELPED, n)]) for n in entry.helped
        ]
    BodyAreaRating.objects.bulk_create(areas, batch_size=2000)
    EmotionRating.objects.bulk_create(emotions, batch_size=2000)
    CheckIn.tags.through.objects.bulk_create(tag_links, batch_size=2000)
    CheckIn.helped.through.objects.bulk_create(helped_links, batch_size=2000)
    return checkins
