"""The fear ladder's and the movement log's web forms. They turn what was typed into the
entries the actions take; the rules live in rules.py and come back as field errors."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone

from rewire.core.forms import ProblemsForm, rating_field
from rewire.core.validation import MAX_TEXT_LENGTH
from rewire.exposure.ladder import OUTCOMES
from rewire.exposure.library import MAX_ACTIVITY_LENGTH, Library
from rewire.exposure.rules import (
    MAX_PREDICTION_LENGTH,
    ActivityEntry,
    AttemptAfter,
    AttemptBefore,
    PacingBoutEntry,
    PacingPlanEntry,
    Rating,
    RungEntry,
    activity_entry_problems,
    activity_key,
    pacing_bout_problems,
    pacing_plan_problems,
)

PERCENT_STEP = 10  # the page offers 0, 10 ... 100; the API takes any whole number
PERCENT_CHOICES = [(value, str(value)) for value in range(0, 101, PERCENT_STEP)]

FEAR_HELP = "0 = no fear at all, 100 = the most afraid you could be"
HARM_HELP = "0 = sure it would not damage my body, 100 = sure it would"
PAIN_HELP = "0 = no pain, 10 = worst imaginable"


def nearest_step(value: int | None) -> int | None:
    """A stored 0-100 value (the API takes any) shown on the page's scale of tens."""
    # Halves round up (25 -> 30), not to the even ten as round() would.
    return None if value is None else min(100, PERCENT_STEP * int(value / PERCENT_STEP + 0.5))


def percent_field(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=PERCENT_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 0 to 100."},
    )


def _whole_minutes(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Write a whole number of minutes."},
    )


def _day_field() -> forms.DateField:
    return forms.DateField(
        label="Day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the day.", "invalid": "Choose the day."},
    )


def _note_field(help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label="A note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class _Submitted(ProblemsForm):
    submission = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex


class RatingFields(forms.Form):
    fear = percent_field("How scary does this feel?", FEAR_HELP)
    expected_pain = rating_field("How much pain do you expect while doing it?", required=True)
    harm = percent_field("How likely is it to damage your body?", HARM_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_pain"].help_text = PAIN_HELP

    def rating(self) -> Rating:
        data = self.cleaned_data
        return Rating(fear=data["fear"], expected_pain=data["expected_pain"], harm=data["harm"])


class RatingForm(RatingFields, ProblemsForm):
    pass


class RungForm(RatingFields, _Submitted):
    library_id = forms.ChoiceField(label="Choose from the list", required=False)
    activity = forms.CharField(
        label="Or in your own words",
        required=False,
        max_length=MAX_ACTIVITY_LENGTH,
        help_text=(
            "For example: lifting the kettle with one hand. "
            "Words here are used instead of a choice from the list."
        ),
    )
    field_order = ["library_id", "activity", "fear", "expected_pain", "harm", "submission"]

    def __init__(self, *args, library: Library, taken: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.library = library
        self.fields["library_id"].choices = [("", "Choose an activity…")] + [
            (
                group.label,
                [(a.id, a.label) for a in group.activities if activity_key(a.label) not in taken],
            )
            for group in library.groups
        ]

    def clean(self):
        data = super().clean()
        own = " ".join(data.get("activity", "").split())
        chosen = self.library.activities.get(data.get("library_id") or "")
        if not own and chosen is None and "library_id" not in self.errors:
            self.add_error("activity", "Choose an activity from the list or write your own.")
        data["activity"] = own or (chosen.label if chosen else "")
        # Own words win: the library's id stays only when its words are used.
        data["library_id"] = chosen.id if chosen and not own else ""
        return data

    def to_entry(self) -> RungEntry:
        data = self.cleaned_data
        return RungEntry(
            activity=data["activity"], rating=self.rating(), library_id=data["library_id"]
        )


class RenameForm(ProblemsForm):
    activity = forms.CharField(label="The activity, in your words", max_length=MAX_ACTIVITY_LENGTH)


class BeforeForm(_Submitted):
    fear_before = percent_field("How scary does it feel right now?", FEAR_HELP)
    predicted_pain = rating_field("How much pain do you expect during it?", required=True)
    predicted_harm = percent_field("How likely is it to damage your body?", HARM_HELP)
    prediction = forms.CharField(
        label="What do you fear will happen?",
        required=False,
        max_length=MAX_PREDICTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="In your words, for example: “my back will lock up”.",
    )
    problem_fields = {"started_at": None, "rung": None}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predicted_pain"].help_text = PAIN_HELP

    def to_entry(self, *, rung: int) -> AttemptBefore:
        data = self.cleaned_data
        return AttemptBefore(
            rung=rung,
            started_at=timezone.now(),
            fear_before=data["fear_before"],
            predicted_pain=data["predicted_pain"],
            predicted_harm=data["predicted_harm"],
            prediction=data["prediction"],
        )


class AfterForm(ProblemsForm):
    actual_pain = rating_field("How much pain was there during it?", required=True)
    outcome = forms.ChoiceField(
        label="Did what you feared happen?",
        choices=list(OUTCOMES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, partly or no."},
    )
    fear_after = percent_field("How scary does it feel now?", FEAR_HELP)
    learned = forms.CharField(
        label="What did you learn?",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “I could bend further than I thought.”",
    )
    problem_fields = {"finished_at": None}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_pain"].help_text = PAIN_HELP

    def to_entry(self) -> AttemptAfter:
        data = self.cleaned_data
        return AttemptAfter(
            actual_pain=data["actual_pain"],
            outcome=data["outcome"],
            fear_after=data["fear_after"],
            learned=data["learned"],
        )

    @staticmethod
    def initial_from(attempt) -> dict:
        if not attempt.finished:
            return {}
        return {
            "actual_pain": attempt.actual_pain,
            "outcome": attempt.outcome,
            "fear_after": nearest_step(attempt.fear_after),
            "learned": attempt.learned,
        }


class NextDayForm(ProblemsForm):
    pain = rating_field("How is your pain today?", required=False, help_text=PAIN_HELP)


class ActivityForm(_Submitted):
    """The field types are checked here; every other rule by rules.activity_entry_problems, in
    the same round, so all problems show at once."""

    activity = forms.CharField(
        label="What did you do?",
        required=False,
        help_text="For example: a walk, swimming, a stretching class.",
    )
    minutes = _whole_minutes("Minutes")
    local_date = _day_field()
    note = _note_field()

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        entry = ActivityEntry(
            activity=" ".join(data.get("activity", "").split()),
            minutes=data.get("minutes"),
            local_date=data.get("local_date") or self.today,
            note=data.get("note", "").strip(),
        )
        for name, reason in activity_entry_problems(entry, today=self.today).items():
            if name not in self.errors:
                self.add_error(name, reason)
        return data

    def to_entry(self) -> ActivityEntry:
        data = self.cleaned_data
        return ActivityEntry(
            activity=data["activity"],
            minutes=data["minutes"],
            local_date=data["local_date"],
            note=data["note"],
        )


# Time-based pacing


class PacingPlanForm(ProblemsForm):
    """The field types are checked here; every other rule by rules.pacing_plan_problems, in the
    same round, so all problems show at once."""

    activity = forms.CharField(
        label="The activity",
        required=False,
        help_text="For example: gardening, working at the computer, housework.",
    )
    activity_minutes = _whole_minutes(
        "Minutes of activity",
        "A bit less than you can do on a bad day without a big rise in pain.",
    )
    break_minutes = _whole_minutes(
        "Minutes of break",
        "Rest, stretch gently or do something different.",
    )

    def clean(self):
        data = super().clean()
        entry = PacingPlanEntry(
            activity=" ".join(data.get("activity", "").split()),
            activity_minutes=data.get("activity_minutes"),
            break_minutes=data.get("break_minutes"),
        )
        for name, reason in pacing_plan_problems(entry).items():
            if name not in self.errors:
                self.add_error(name, reason)
        return data

    def to_entry(self) -> PacingPlanEntry:
        data = self.cleaned_data
        return PacingPlanEntry(
            activity=data["activity"],
            activity_minutes=data["activity_minutes"],
            break_minutes=data["break_minutes"],
        ).normalised()


class NewPacingPlanForm(PacingPlanForm, _Submitted):
    pass


class PacingBoutForm(_Submitted):
    """A bout done: the timer fills it in; without JavaScript it is a plain form."""

    minutes = _whole_minutes("Minutes of activity done, in all")
    breaks = forms.IntegerField(
        label="Breaks taken",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Write a whole number of breaks."},
    )
    local_date = _day_field()
    note = _note_field("For example: how the break felt, or what you did in it.")
    # Filled in by the timer: the rounds that ran their whole quota. Empty when typed by hand.
    rounds_to_time = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    problem_fields = {"plan": None, "rounds_to_time": None}

    def __init__(self, *args, today: dt.date, plan: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.plan = today, plan

    def clean(self):
        data = super().clean()
        entry = PacingBoutEntry(
            plan=self.plan,
            minutes=data.get("minutes"),
            breaks=data.get("breaks"),
            local_date=data.get("local_date") or self.today,
            note=data.get("note", "").strip(),
            rounds_to_time=data.get("rounds_to_time"),
        )
        for name, reason in pacing_bout_problems(entry, today=self.today).items():
            if name not in self.errors:
                self.add_error(name, reason)
        return data

    def to_entry(self) -> PacingBoutEntry:
        data = self.cleaned_data
        return PacingBoutEntry(
            plan=self.plan,
            minutes=data["minutes"],
            breaks=data["breaks"],
            local_date=data["local_date"],
            note=data["note"],
            rounds_to_time=data.get("rounds_to_time"),
        )
