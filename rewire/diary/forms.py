import datetime as dt
import uuid

from django import forms
from django.db.models import Count
from django.utils import timezone

from rewire.core.forms import SCALE_CHOICES, ProblemsForm
from rewire.core.validation import MAX_MOVEMENT_MINUTES, MAX_NAME_LENGTH
from rewire.diary.entry import CheckInEntry, problems_with
from rewire.diary.models import EmotionRating, Tag
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


def optional_scale(label: str) -> forms.TypedChoiceField:
    """An optional 0–10 rating shown as a segmented scale: a radio per number and one for
    "not answered" (the template styles the radios; no dropdown)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "None"), *SCALE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 0 to 10."},
    )


# How many of a chip list show before its "more": the person's most used (and any chosen).
CHIPS_SHOWN = 6


def _most_used_first(names: list[str], uses: dict[str, int]) -> list[str]:
    """Most used first; among equals, the order given (starter lists come in a sensible one)."""
    order = {name: index for index, name in enumerate(names)}
    return sorted(names, key=lambda name: (-uses.get(name, 0), order[name]))


def _split_chips(items, chosen) -> tuple[list, list]:
    """The first CHIPS_SHOWN items and any chosen ones; then the rest (behind "more")."""
    shown = [item for index, item in enumerate(items) if index < CHIPS_SHOWN or chosen(item)]
    return shown, [item for item in items if item not in shown]


# A body area marked on the map without its own number hurts as much as the pain chosen above.
SAME_AS_PAIN = "pain"


def _area_intensity(value: str) -> int | str:
    return value if value == SAME_AS_PAIN else int(value)


def area_field(label: str) -> forms.TypedChoiceField:
    """One body area: a checkbox on the map whose value is how strong it is (0–10), or
    "pain" for the same as the pain chosen above (a new mark, before any number is set)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", ""), *SCALE_CHOICES, (SAME_AS_PAIN, "Same as the pain above")],
        coerce=_area_intensity,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Mark the area, or give it a number from 0 to 10."},
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
        # Filled in with now; no help line needed to say so (the check-in must stay short).
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    is_flare = forms.BooleanField(label="This is a flare", required=False)
    stress = optional_scale("Stress (0–10)")
    thought = forms.CharField(
        label="What went through your mind?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
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
                label="Another emotion, in your words",
                required=False,
                max_length=MAX_NAME_LENGTH,
                # The emotion's 0–10 scale shows once this holds a name (CSS :placeholder-shown).
                widget=forms.TextInput(attrs={"placeholder": "such as numb"}),
            )
            self.fields[f"other_intensity_{index}"] = optional_scale("How strong (0–10)")
        self.user = user
        self.show_sleep = show_sleep
        tags = list(
            Tag.objects.for_user(user)
            .annotate(
                uses=Count("checkins", distinct=True) + Count("helped_checkins", distinct=True)
            )
            .order_by("pk")  # starter tags in the order they were made, then the person's own
        )
        for name, kind in (("tags", Tag.CONTEXT), ("helped", Tag.HELPED)):
            names = _most_used_first(
                [t.name for t in tags if t.kind == kind], {t.name: t.uses for t in tags}
            )
            self.fields[name] = forms.MultipleChoiceField(
                label="Context and triggers" if kind == Tag.CONTEXT else "What helped",
                required=False,
                choices=[(n, n) for n in names],
                widget=forms.CheckboxSelectMultiple,
            )
        for area in BODY_AREAS:
            self.fields[f"area_{area.slug}"] = area_field(area.label)
        for emotion in STARTER_EMOTIONS:
            self.fields[f"emotion_{emotion}"] = optional_scale(f"How {emotion} (0–10)")
        if self.is_new:
            self.initial["recorded_at"] = timezone.localtime().replace(second=0, microsecond=0)
        shown = self.initial["recorded_at"]
        self.initial["shown_at"] = (
            shown if timezone.is_aware(shown) else timezone.make_aware(shown)
        ).isoformat()

    # Groups for the template.
    def area_marks(self):
        """Each body area's checkbox: (area, bound field, value it posts, marked or not)."""
        marks = []
        for area in BODY_AREAS:
            field = self[f"area_{area.slug}"]
            value = field.value()
            value = "" if value is None else str(value)
            marks.append((area, field, value or SAME_AS_PAIN, value != ""))
        return marks

    def area_problems(self) -> bool:
        """Whether any body area's value was refused (the map shows it)."""
        return any(self[f"area_{area.slug}"].errors for area in BODY_AREAS)

    def scale_numbers(self):
        return range(11)

    def tags_chips(self) -> tuple[list, list]:
        """The context tags' checkboxes: the most used few and any ticked, then the rest."""
        return _split_chips(list(self["tags"]), lambda box: box.data["selected"])

    def helped_chips(self) -> tuple[list, list]:
        return _split_chips(list(self["helped"]), lambda box: box.data["selected"])

    def own_emotions_given(self) -> bool:
        """An emotion in the person's own words is named, or has a problem (its box shows)."""
        return any(
            name.value() or name.errors or strength.errors
            for name, strength in self.other_emotion_fields()
        )

    def emotion_chips(self) -> tuple[list, list]:
        """Each starter emotion as (name, bound field, the number chosen or ""): the person's
        most used few and any rated, then the rest."""
        uses = dict(
            EmotionRating.objects.filter(checkin__user=self.user, name__in=STARTER_EMOTIONS)
            .values_list("name")
            .annotate(uses=Count("id"))
        )
        rows = []
        for emotion in _most_used_first(list(STARTER_EMOTIONS), uses):
            field = self[f"emotion_{emotion}"]
            value = field.value()
            rows.append((emotion.capitalize(), field, "" if value in (None, "") else str(value)))
        return _split_chips(rows, lambda row: row[2] != "" or bool(row[1].errors))

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
        self._add_entry_problems(data)
        return data

    def _add_entry_problems(self, data) -> None:
        """The diary's own rules (entry.problems_with, which the save checks again) found now,
        with the fields' problems: a form with several problems shows them all in one round."""
        entry = self._entry(data, pain=data.get("pain", 0))
        problems = problems_with(entry.normalised(), now=timezone.now())
        targets = {name: self.problem_fields.get(name, name) for name in problems}
        self.add_problems(
            {
                name: reason
                for name, reason in problems.items()
                # A field that already has a problem says that one; a missing pain says its own.
                if not (targets[name] in self.errors or (name == "pain" and "pain" not in data))
            }
        )

    def to_entry(self) -> CheckInEntry:
        return self._entry(self.cleaned_data, pain=self.cleaned_data["pain"])

    def _entry(self, data, *, pain: int) -> CheckInEntry:
        recorded_at = data.get("recorded_at") or timezone.now()
        emotions = [
            (emotion, data[f"emotion_{emotion}"])
            for emotion in STARTER_EMOTIONS
            if data.get(f"emotion_{emotion}") is not None
        ]
        emotions += [
            (data[f"other_emotion_{i}"], data[f"other_intensity_{i}"])
            for i in range(self.other_count)
            if data.get(f"other_emotion_{i}") and data.get(f"other_intensity_{i}") is not None
        ]

        def tags(chosen, typed):
            return [*chosen, *(normalise_name(t) for t in (typed or "").split(","))]

        def strength(value):
            return pain if value == SAME_AS_PAIN else value

        return CheckInEntry(
            pain=pain,
            recorded_at=recorded_at,
            is_flare=data.get("is_flare", False),
            body_areas=[
                (area.slug, strength(data[f"area_{area.slug}"]))
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
