import datetime as dt
import uuid

from django import forms
from django.utils import timezone

from rewire.core.forms import OPTIONAL_SCALE, SCALE_CHOICES, ProblemsForm
from rewire.core.validation import MAX_MOVEMENT_MINUTES, MAX_NAME_LENGTH
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import Tag
from rewire.diary.vocabulary import BODY_AREAS, MAX_SLEEP_HOURS, STARTER_EMOTIONS, normalise_name


def _moment(text: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _wall_minute(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0, tzinfo=None, fold=0)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the person's timezone.

    In the hour that repeats when clocks go back it means the first of the two; a time that
    the clocks skip when they go forward is refused with a reason.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            naive = value.replace(tzinfo=None)
        else:
            try:
                naive = dt.datetime.fromisoformat(value)
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            if naive.tzinfo is not None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        zone = timezone.get_current_timezone()
        moment = naive.replace(tzinfo=zone)
        if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
            raise forms.ValidationError(
                "That time does not exist on that day: the clocks went forward. "
                "Choose a time outside the skipped hour.",
                code="skipped",
            )
        return moment


def optional_scale(label: str, **attrs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=OPTIONAL_SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=attrs),
    )


class CheckInForm(ProblemsForm):
    """The check-in: pain is the one required answer; everything else is optional."""

    # Body areas and emotions are shown as a whole; tag problems go under the new-tag boxes.
    problem_fields = {
        "body_areas": None,
        "emotions": None,
        "tags": "new_tags",
        "helped": "new_helped",
    }

    pain = forms.TypedChoiceField(
        label="Pain right now",
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your pain from 0 (none) to 10 (worst)."},
    )
    recorded_at = LocalDateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Now, unless you change it.",
    )
    is_flare = forms.BooleanField(label="This is a flare", required=False)
    stress = optional_scale("Stress (0–10)")
    thought = forms.CharField(
        label="What went through your mind?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In your own words, as it came.",
    )
    movement_minutes = forms.IntegerField(
        label="Minutes of movement today",
        required=False,
        min_value=0,
        max_value=MAX_MOVEMENT_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sleep_hours = forms.DecimalField(
        label="Hours of sleep last night",
        required=False,
        min_value=0,
        max_value=MAX_SLEEP_HOURS,
        decimal_places=1,
        max_digits=3,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    sleep_quality = optional_scale("Sleep quality (0 poor – 10 great)")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    new_tags = forms.CharField(
        label="Add your own context or trigger",
        required=False,
        max_length=400,
        help_text="Separate several with commas.",
    )
    new_helped = forms.CharField(
        label="Add something else that helped",
        required=False,
        max_length=400,
        help_text="Separate several with commas.",
    )

    # Sent back with the form so that sending it twice saves once (see views._once_per_submission).
    submission = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    # The exact moment the time field was filled in with (it shows only minutes).
    shown_at = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, show_sleep=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex
        # A new check-in's time is "now" unless the person changes it; an edited one keeps
        # its own time, to the second and through a repeated autumn hour, unless changed.
        self.is_new = "recorded_at" not in self.initial
        # One pair of fields per emotion of the person's own naming, plus a blank pair.
        if self.is_bound:
            self.other_count = sum(1 for key in self.data if key.startswith("other_emotion_"))
        else:
            self.other_count = sum(1 for key in self.initial if key.startswith("other_emotion_"))
        self.other_count = max(1, self.other_count + (0 if self.is_bound else 1))
        for index in range(self.other_count):
            self.fields[f"other_emotion_{index}"] = forms.CharField(
                label="Another emotion, in your words", required=False, max_length=MAX_NAME_LENGTH
            )
            self.fields[f"other_intensity_{index}"] = optional_scale("How strong (0–10)")
        self.user = user
        self.show_sleep = show_sleep
        tags = list(Tag.objects.for_user(user))
        for name, kind in (("tags", Tag.CONTEXT), ("helped", Tag.HELPED)):
            self.fields[name] = forms.MultipleChoiceField(
                label="Context and triggers" if kind == Tag.CONTEXT else "What helped",
                required=False,
                choices=[(t.name, t.name) for t in tags if t.kind == kind],
                widget=forms.CheckboxSelectMultiple,
            )
        for area in BODY_AREAS:
            self.fields[f"area_{area.slug}"] = optional_scale(
                area.label, **{"data-area": area.slug}
            )
        for emotion in STARTER_EMOTIONS:
            self.fields[f"emotion_{emotion}"] = optional_scale(emotion.capitalize())
        if self.is_new:
            self.initial["recorded_at"] = timezone.localtime().replace(second=0, microsecond=0)
        shown = self.initial["recorded_at"]
        self.initial["shown_at"] = (
            shown if timezone.is_aware(shown) else timezone.make_aware(shown)
        ).isoformat()

    # Groups for the template.
    def area_fields(self):
        return [self[f"area_{area.slug}"] for area in BODY_AREAS]

    def emotion_fields(self):
        return [self[f"emotion_{emotion}"] for emotion in STARTER_EMOTIONS]

    def other_emotion_fields(self):
        return [
            (self[f"other_emotion_{i}"], self[f"other_intensity_{i}"])
            for i in range(self.other_count)
        ]

    def clean(self):
        data = super().clean()
        when, shown = data.get("recorded_at"), _moment(data.get("shown_at"))
        if when is not None and shown is not None and _wall_minute(when) == _wall_minute(shown):
            data["recorded_at"] = timezone.now() if self.is_new else shown
        for index in range(self.other_count):
            if data.get(f"other_emotion_{index}") and data.get(f"other_intensity_{index}") is None:
                self.add_error(
                    f"other_intensity_{index}", "Give the emotion an intensity from 0 to 10."
                )
        return data

    def to_entry(self) -> CheckInEntry:
        data = self.cleaned_data
        recorded_at = data.get("recorded_at") or timezone.now()
        emotions = [
            (emotion, data[f"emotion_{emotion}"])
            for emotion in STARTER_EMOTIONS
            if data.get(f"emotion_{emotion}") is not None
        ]
        emotions += [
            (data[f"other_emotion_{i}"], data[f"other_intensity_{i}"])
            for i in range(self.other_count)
            if data.get(f"other_emotion_{i}")
        ]

        def tags(chosen, typed):
            return [*chosen, *(normalise_name(t) for t in (typed or "").split(","))]

        return CheckInEntry(
            pain=data["pain"],
            recorded_at=recorded_at,
            is_flare=data.get("is_flare", False),
            body_areas=[
                (area.slug, data[f"area_{area.slug}"])
                for area in BODY_AREAS
                if data.get(f"area_{area.slug}") is not None
            ],
            emotions=emotions,
            stress=data.get("stress"),
            tags=tags(data.get("tags", []), data.get("new_tags")),
            thought=data.get("thought", ""),
            helped=tags(data.get("helped", []), data.get("new_helped")),
            movement_minutes=data.get("movement_minutes"),
            sleep_hours=data.get("sleep_hours"),
            sleep_quality=data.get("sleep_quality"),
            note=data.get("note", ""),
        )

    @staticmethod
    def initial_from(entry: CheckInEntry) -> dict:
        initial = {
            "pain": entry.pain,
            "recorded_at": timezone.localtime(entry.recorded_at),
            "is_flare": entry.is_flare,
            "stress": entry.stress,
            "thought": entry.thought,
            "movement_minutes": entry.movement_minutes,
            "sleep_hours": entry.sleep_hours,
            "sleep_quality": entry.sleep_quality,
            "note": entry.note,
            "tags": entry.tags,
            "helped": entry.helped,
        }
        initial.update({f"area_{area}": value for area, value in entry.body_areas})
        others = [(n, v) for n, v in entry.emotions if n not in STARTER_EMOTIONS]
        initial.update({f"emotion_{n}": v for n, v in entry.emotions if n in STARTER_EMOTIONS})
        for index, (name, value) in enumerate(others):
            initial[f"other_emotion_{index}"] = name
            initial[f"other_intensity_{index}"] = value
        return initial


class FlareForm(forms.Form):
    pain = forms.TypedChoiceField(choices=SCALE_CHOICES, coerce=int)
