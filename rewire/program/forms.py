"""The programme's web forms. They turn what was typed into the entries and arguments the
actions take; the rules themselves live in rules.py and are checked by the actions, whose
problems come back to these forms as field errors (`add_problems`)."""

import datetime as dt
import uuid

from django import forms
from django.core import signing
from django.utils import timezone

from rewire.core.forms import OPTIONAL_SCALE, ProblemsForm, SavedOnce, rating_field
from rewire.core.validation import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from rewire.program.content import RATINGS, Course, GuidedPractice
from rewire.program.progress import PACES
from rewire.program.rules import (
    MAX_CAUSES,
    MAX_SHORT_TEXT,
    MAX_WRITING_LENGTH,
    OLDEST_AGE,
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    WritingEntry,
    thought_record_problems,
)

STARTED_SALT = "rewire.program.practice.started"
BLANK_EMOTION_ROWS = 3  # "add another" without JavaScript: empty rows to fill in


# What the ends of each 0–10 rating mean.
RATING_ENDS = {
    "pain": "0 = no pain, 10 = worst imaginable",
    "threat": "0 = not at all threatening, 10 = extremely threatening",
    "mood": "0 = very low, 10 = very good",
    "tension": "0 = fully relaxed, 10 = extremely tense",
}


def optional_scale_select(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=OPTIONAL_SCALE, coerce=int, empty_value=None, required=False
    )


def sign_started(moment: dt.datetime) -> str:
    return signing.dumps(moment.isoformat(), salt=STARTED_SALT)


def optional_help(rating: str) -> str:
    """The help beside a rating the practice asks but does not require."""
    if rating == "pain":  # somatic tracking: noticed, never scored (outcome independence)
        return (
            f"optional, only if you are curious: it is not a score to beat ({RATING_ENDS[rating]})"
        )
    return f"optional, if you like ({RATING_ENDS[rating]})"


class PracticeForm(ProblemsForm):
    """A guided practice: the ratings before and after, a note, and when it began.

    `started` is the moment the page was shown, signed so it cannot be edited; `begun_after`
    is how many seconds later the person pressed Begin (sent by the page's script, which
    measures it with the browser's own clock, so a wrong clock on the device does not matter).
    """

    started = forms.CharField(widget=forms.HiddenInput)
    # Seconds between showing the page and pressing Begin: at most a day (a page left open).
    begun_after = forms.IntegerField(
        required=False, min_value=0, max_value=86400, widget=forms.HiddenInput
    )
    submission = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    note = forms.CharField(
        label="A note for yourself (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What did you notice?",
    )
    problem_fields = {"started_at": None, "finished_at": None, "kind": None}

    def __init__(self, *args, practice: GuidedPractice, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["started"].initial = sign_started(timezone.now())
        self.fields["submission"].initial = uuid.uuid4().hex
        for rating in practice.ratings:
            optional = rating in practice.optional_ratings
            self.fields[f"{rating}_before"] = rating_field(
                RATINGS[rating],
                required=not optional,
                help_text=optional_help(rating) if optional else RATING_ENDS[rating],
            )
            self.fields[f"{rating}_before"].error_messages["required"] = (
                "Choose a number from 0 to 10 before you start."
            )
            self.fields[f"{rating}_after"] = rating_field(
                RATINGS[rating],
                required=False,
                help_text=optional_help(rating) if optional else RATING_ENDS[rating],
            )

    def before_fields(self):
        return [self[f"{rating}_before"] for rating in self.practice.ratings]

    def after_fields(self):
        return [self[f"{rating}_after"] for rating in self.practice.ratings]

    def clean_started(self):
        try:
            shown = dt.datetime.fromisoformat(
                signing.loads(self.cleaned_data["started"], salt=STARTED_SALT)
            )
        except (signing.BadSignature, ValueError, TypeError):
            raise forms.ValidationError(
                "This page could not be read back. Please open the practice again."
            ) from None
        return shown

    def to_entry(self, *, now: dt.datetime) -> PracticeEntry:
        data = self.cleaned_data
        started_at = data["started"]
        if data.get("begun_after"):
            started_at = min(started_at + dt.timedelta(seconds=data["begun_after"]), now)
        return PracticeEntry(
            kind=self.practice.id,
            started_at=started_at,
            finished_at=now,
            ratings={
                rating: (data.get(f"{rating}_before"), data.get(f"{rating}_after"))
                for rating in self.practice.ratings
            },
            note=data.get("note", ""),
        )

    def add_problems(self, problems):
        times = ("started_at", "finished_at")
        if any(name in problems for name in times):
            self.add_error(
                None,
                "The times of this practice do not add up (a practice lasts at most 3 hours). "
                "Please open the practice again.",
            )
        super().add_problems({k: v for k, v in problems.items() if k not in times})


class SafetyMessageForm(SavedOnce, ProblemsForm):
    # The action checks length and emptiness; the form only carries the text.
    text = forms.CharField(
        label="Safety message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_SHORT_TEXT}),
        help_text="A short sentence in your own words that reminds you that you are safe.",
    )


class FlarePlanForm(ProblemsForm):
    steps = forms.CharField(
        label="Your steps, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Short and simple works best: what you will do, in order, when a flare starts.",
    )

    def step_list(self) -> list[str]:
        return self.cleaned_data.get("steps", "").splitlines()


class EvidenceForm(SavedOnce, ProblemsForm):
    kind = forms.ChoiceField(label="Kind of evidence")
    example = forms.CharField(
        label="Your example",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened, in a sentence or two.",
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.id, kind.label) for kind in course.all_evidence_kinds]


class AttributionForm(SavedOnce, ProblemsForm):
    """Up to three causes, each marked body or brain/mind."""

    problem_fields = {"causes": None, "recorded_at": None}

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        categories = [(c.id, c.label) for c in course.cause_categories]
        for index in range(MAX_CAUSES):
            self.fields[f"cause_{index}"] = forms.CharField(
                label=f"Cause {index + 1}",
                required=False,
                widget=forms.TextInput(attrs={"maxlength": MAX_SHORT_TEXT}),
            )
            self.fields[f"category_{index}"] = forms.ChoiceField(
                label=f"Cause {index + 1} is mostly about",
                choices=categories,
                required=False,
                widget=forms.RadioSelect,
            )

    def rows(self):
        return [(self[f"cause_{i}"], self[f"category_{i}"]) for i in range(MAX_CAUSES)]

    def clean(self):
        data = super().clean()
        for index in range(MAX_CAUSES):
            text, category = data.get(f"cause_{index}", ""), data.get(f"category_{index}")
            if text.strip() and not category:
                self.add_error(
                    f"category_{index}", "Choose body, brain and mind, or both, for this cause."
                )
        return data

    def to_entry(self, *, now: dt.datetime) -> AttributionEntry:
        data = self.cleaned_data
        return AttributionEntry(
            recorded_at=now,
            causes=[
                (data[f"cause_{i}"], data[f"category_{i}"])
                for i in range(MAX_CAUSES)
                if data.get(f"cause_{i}", "").strip()
            ],
        )


class ThoughtRecordForm(SavedOnce, ProblemsForm):
    situation = forms.CharField(
        label="Situation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What was happening? Where were you, and with whom?",
    )
    automatic_thought = forms.CharField(
        label="Automatic thought",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The thought that came up, in the words it came in.",
    )
    traps = forms.MultipleChoiceField(
        label="Thinking traps", required=False, widget=forms.CheckboxSelectMultiple
    )
    reappraisal = forms.CharField(
        label="A balanced or safety reappraisal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "What would you say to a friend who had this thought? What do you know that "
            "speaks for safety?"
        ),
    )
    checkin = forms.IntegerField(required=False, widget=forms.HiddenInput)
    problem_fields = {"emotions": None, "recorded_at": None, "checkin": None}

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.traps = course.thinking_traps
        self.fields["traps"].choices = [(trap.id, trap.label) for trap in course.thinking_traps]
        source = self.data if self.is_bound else self.initial
        filled = sum(1 for key in source if key.startswith("emotion_name_"))
        self.emotion_count = filled if self.is_bound else filled + BLANK_EMOTION_ROWS
        for index in range(self.emotion_count):
            self.fields[f"emotion_name_{index}"] = forms.CharField(
                label="Emotion",
                required=False,
                max_length=MAX_NAME_LENGTH,
                error_messages={"max_length": f"At most {MAX_NAME_LENGTH} characters."},
            )
            self.fields[f"emotion_before_{index}"] = optional_scale_select("How strong (0–10)")
            self.fields[f"emotion_after_{index}"] = optional_scale_select("Now, after (0–10)")

    def emotion_rows(self):
        return [
            (
                self[f"emotion_name_{i}"],
                self[f"emotion_before_{i}"],
                self[f"emotion_after_{i}"],
            )
            for i in range(self.emotion_count)
        ]

    def trap_options(self):
        """Each checkbox with its thinking trap's description."""
        helps = {trap.id: trap.help for trap in self.traps}
        return [(box, helps[box.data["value"]]) for box in self["traps"]]

    def clean(self):
        data = super().clean()
        for index in range(self.emotion_count):
            if f"emotion_name_{index}" in self.errors:
                continue  # its own error (too long) says what is wrong
            name = data.get(f"emotion_name_{index}", "").strip()
            before = data.get(f"emotion_before_{index}")
            after = data.get(f"emotion_after_{index}")
            if name and before is None:
                self.add_error(f"emotion_before_{index}", "Rate how strong it was, 0 to 10.")
            elif not name and (before is not None or after is not None):
                self.add_error(f"emotion_name_{index}", "Name the emotion, or clear its ratings.")
        if self.errors:
            # Say now what the record's own rules will say, not after the next send.
            entry = ThoughtRecordEntry(
                recorded_at=timezone.now(),
                automatic_thought=data.get("automatic_thought") or "",
                situation=data.get("situation") or "",
                reappraisal=data.get("reappraisal") or "",
            ).normalised()
            for name, reason in thought_record_problems(
                entry, course=self.course, now=timezone.now()
            ).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, reason)
        return data

    def to_entry(self, *, recorded_at: dt.datetime) -> ThoughtRecordEntry:
        data = self.cleaned_data
        return ThoughtRecordEntry(
            recorded_at=recorded_at,
            automatic_thought=data.get("automatic_thought", ""),
            situation=data.get("situation", ""),
            emotions=[
                (
                    data[f"emotion_name_{i}"],
                    data[f"emotion_before_{i}"],
                    data.get(f"emotion_after_{i}"),
                )
                for i in range(self.emotion_count)
                if data.get(f"emotion_name_{i}", "").strip()
            ],
            traps=data.get("traps", []),
            reappraisal=data.get("reappraisal", ""),
            checkin=data.get("checkin"),
        )

    @staticmethod
    def initial_from(record=None, *, checkin=None) -> dict:
        """From a saved record, or from a check-in's thought and emotions."""
        if record is not None:
            initial = {
                "situation": record.situation,
                "automatic_thought": record.automatic_thought,
                "traps": record.traps,
                "reappraisal": record.reappraisal,
                "checkin": record.checkin_id,
            }
            emotions = [(e.name, e.before, e.after) for e in record.emotions.all()]
        else:
            initial = {"automatic_thought": checkin.thought, "checkin": checkin.pk}
            emotions = [(e.name, e.intensity, None) for e in checkin.emotions.all()]
        for index, (name, before, after) in enumerate(emotions):
            initial[f"emotion_name_{index}"] = name
            initial[f"emotion_before_{index}"] = before
            initial[f"emotion_after_{index}"] = after
        return initial


class MaintenancePlanForm(ProblemsForm):
    keep_doing = forms.CharField(
        label="What I will keep doing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_LENGTH}),
        help_text="The practices and habits you will keep up, and how often. One per line.",
    )
    warning_signs = forms.CharField(
        label="My signs of slipping back",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_LENGTH}),
        help_text="What you would notice first if old habits crept back. One per line.",
    )
    what_helped = forms.CharField(
        label="What helped me most",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_LENGTH}),
        help_text="To come back to when things get hard. One per line.",
    )


class PaceForm(forms.Form):
    pace = forms.ChoiceField(
        label="How fast sessions open",
        choices=list(PACES.items()),
        widget=forms.RadioSelect,
        help_text=(
            "In the trial, people met their therapist twice a week for four weeks. Time between "
            "sessions lets each idea settle while you practise it."
        ),
    )


# Expressive writing

DISTRESS_ENDS = "0 = not upset at all, 10 = as upset as you can imagine"
BLANK_EVENT_ROWS = {"new": 8, "edit": 4}  # rows to fill in without JavaScript
FELT_CHOICES = [("", "—"), ("hard", "Hard"), ("good", "Good"), ("mixed", "Mixed")]


class WritingForm(SavedOnce, ProblemsForm):
    """An unsent letter or a life-stress timeline. A timeline's events are rows of age, what
    happened and how it felt; a row left empty is skipped."""

    title = forms.CharField(
        label="A title, if you like",
        required=False,
        max_length=MAX_SHORT_TEXT,
        error_messages={"max_length": f"At most {MAX_SHORT_TEXT} characters."},
    )
    text = forms.CharField(
        required=False,
        max_length=MAX_WRITING_LENGTH,
        error_messages={"max_length": f"At most {MAX_WRITING_LENGTH} characters."},
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    distress_before = rating_field(
        "Before you start: how upset do you feel right now?",
        required=False,
        help_text=f"optional ({DISTRESS_ENDS})",
    )
    problem_fields = {"kind": None, "events": None, "distress_after": None}

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if editing:
            del self.fields["distress_before"]  # asked before the first writing only
        if kind == "unsent_letter":
            self.fields["title"].help_text = "Who or what it is to, for example."
            self.fields["text"].label = "Your letter"
            self.fields[
                "text"
            ].help_text = "Dear …: say what you never got to say. It will never be sent."
            self.event_count = 0
            return
        self.fields["text"].label = "Looking at your timeline: how did pain fit in? (optional)"
        self.fields["text"].help_text = (
            "When did it start, and what was going on in your life then? Did it change at "
            "hard times or good ones?"
        )
        source = self.data if self.is_bound else self.initial
        filled = sum(1 for key in source if key.startswith("event_age_"))
        blank = BLANK_EVENT_ROWS["edit" if editing else "new"]
        self.event_count = filled if self.is_bound else filled + blank
        for index in range(self.event_count):
            self.fields[f"event_age_{index}"] = forms.IntegerField(
                label=f"Event {index + 1}: your age",
                required=False,
                min_value=0,
                max_value=OLDEST_AGE,
                error_messages={
                    "invalid": "Write the age as a whole number.",
                    "min_value": f"An age from 0 to {OLDEST_AGE}.",
                    "max_value": f"An age from 0 to {OLDEST_AGE}.",
                },
            )
            self.fields[f"event_text_{index}"] = forms.CharField(
                label=f"Event {index + 1}: what happened",
                required=False,
                max_length=MAX_SHORT_TEXT,
                error_messages={"max_length": f"At most {MAX_SHORT_TEXT} characters."},
            )
            self.fields[f"event_felt_{index}"] = forms.ChoiceField(
                label=f"Event {index + 1}: how it felt", required=False, choices=FELT_CHOICES
            )

    def event_rows(self):
        return [
            (self[f"event_age_{i}"], self[f"event_text_{i}"], self[f"event_felt_{i}"])
            for i in range(self.event_count)
        ]

    def clean(self):
        data = super().clean()
        for index in range(self.event_count):
            names = [f"event_{part}_{index}" for part in ("age", "text", "felt")]
            if any(name in self.errors for name in names):
                continue  # their own errors say what is wrong
            age, text, felt = (data.get(name) for name in names)
            if age is None and not (text or "").strip() and not felt:
                continue  # an empty row
            if age is None:
                self.add_error(names[0], "How old were you? A rough age is fine.")
            if not (text or "").strip():
                self.add_error(names[1], "Say in a few words what happened.")
            if not felt:
                self.add_error(names[2], "Choose hard, good or mixed.")
        return data

    def to_entry(self, *, distress_before=None, distress_after=None) -> WritingEntry:
        data = self.cleaned_data
        return WritingEntry(
            kind=self.kind,
            title=data.get("title", ""),
            text=data.get("text", ""),
            events=[
                (data[f"event_age_{i}"], data[f"event_text_{i}"], data[f"event_felt_{i}"])
                for i in range(self.event_count)
                if data.get(f"event_age_{i}") is not None
            ],
            distress_before=data.get("distress_before", distress_before),
            distress_after=distress_after,
        )

    @staticmethod
    def initial_from(writing) -> dict:
        initial = {"title": writing.title, "text": writing.text}
        for index, event in enumerate(writing.events.all()):
            initial[f"event_age_{index}"] = event.age
            initial[f"event_text_{index}"] = event.event
            initial[f"event_felt_{index}"] = event.felt
        return initial


class DistressForm(ProblemsForm):
    """The check-in after writing."""

    distress_after = rating_field(
        "How upset do you feel now?", required=True, help_text=DISTRESS_ENDS
    )
