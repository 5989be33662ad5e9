"""The personal experiment's web form; its rules are experiments.experiment_problems."""

import datetime as dt
import uuid

from django import forms

from rewire.core.forms import ProblemsForm
from rewire.insights.experiments import (
    MAX_DAYS,
    MIN_DAYS,
    OUTCOMES,
    ExperimentEntry,
    experiment_problems,
)

OWN = "own"


class ExperimentForm(ProblemsForm):
    preset = forms.ChoiceField(
        label="What will you try?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one thing to try, or your own idea."},
    )
    own = forms.CharField(
        label="Your own idea",
        required=False,
        help_text="For example: a warm shower in the evening.",
    )
    outcome = forms.ChoiceField(
        label="What should it be judged by?",
        choices=[(key, label.capitalize()) for key, label in OUTCOMES.items()],
        widget=forms.RadioSelect,
        help_text="The next morning's pain is your first check-in of the next day.",
        error_messages={"required": "Choose what it should be judged by."},
    )
    days = forms.TypedChoiceField(
        label="How many days?",
        coerce=int,
        choices=[(n, f"{n} days") for n in range(MIN_DAYS, MAX_DAYS + 1, 2)],
        initial=MIN_DAYS,
        help_text="Half of them, chosen at random, are “on” days. More days, a surer answer.",
    )
    start_date = forms.DateField(
        label="Start on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the first day.", "invalid": "Choose the first day."},
    )
    submission = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    problem_fields = {"intervention": "own"}
    # "experiment": one at a time, whichever was chosen: about the form as a whole.
    unnamed_problems = frozenset({"experiment"})

    def __init__(self, *args, presets, medicines, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = {preset.id: preset for preset in presets}
        self.medicines = medicines
        self.today = today
        self.fields["preset"].choices = [(p.id, p.label) for p in presets] + [
            (OWN, "Something else, in my own words")
        ]
        self.fields["start_date"].initial = today
        self.fields["submission"].initial = uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        chosen = data.get("preset")
        if chosen == OWN:
            data["intervention"], data["preset_id"] = " ".join(data.get("own", "").split()), ""
            if not data["intervention"]:
                self.add_error("own", "Write what you will try.")
                return data
        elif chosen in self.presets:
            data["intervention"], data["preset_id"] = self.presets[chosen].label, chosen
        else:
            return data
        if all(name in data for name in ("outcome", "days", "start_date")):
            for name, reason in experiment_problems(
                self.to_entry(), today=self.today, presets=self.presets, medicines=self.medicines
            ).items():
                self.add_error("own" if name == "intervention" else name, reason)
        return data

    def to_entry(self) -> ExperimentEntry:
        data = self.cleaned_data
        return ExperimentEntry(
            intervention=data["intervention"],
            outcome=data["outcome"],
            days=data["days"],
            start_date=data["start_date"],
            preset=data["preset_id"],
        )
