"""The reminders page's form: each kind on or off at a time of day, quiet hours, a daily cap,
and email as the way they come. The action checks the choices together (actions.py)."""

from django import forms

from rewire.core.forms import ProblemsForm
from rewire.reminders.actions import MAX_DAILY_CAP
from rewire.reminders.models import KIND_CHOICES

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RemindersForm(ProblemsForm):
    by_email = forms.BooleanField(label="Send my reminders by email", required=False)
    quiet_from = forms.TimeField(label="Quiet from", required=False, widget=TIME)
    quiet_until = forms.TimeField(label="Quiet until", required=False, widget=TIME)
    daily_cap = forms.IntegerField(
        label="At most this many reminders a day",
        min_value=1,
        max_value=MAX_DAILY_CAP,
        error_messages={
            "min_value": f"From 1 to {MAX_DAILY_CAP} a day.",
            "max_value": f"From 1 to {MAX_DAILY_CAP} a day.",
            "required": "Say how many a day, from 1 to 10.",
            "invalid": "A whole number, from 1 to 10.",
        },
    )
    problem_fields = {kind: f"{kind}_at" for kind, _ in KIND_CHOICES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in KIND_CHOICES:
            self.fields[f"{kind}_on"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{kind}_at"] = forms.TimeField(
                label=f"{label}: time",
                widget=TIME,
                error_messages={
                    "required": "Give a time, such as 20:00.",
                    "invalid": "Give a time, such as 20:00.",
                },
            )

    def kinds(self):
        return [
            {"kind": kind, "label": label, "on": self[f"{kind}_on"], "at": self[f"{kind}_at"]}
            for kind, label in KIND_CHOICES
        ]

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            "quiet_from": data["quiet_from"],
            "quiet_until": data["quiet_until"],
            "daily_cap": data["daily_cap"],
            "by_email": data["by_email"],
            "times": {kind: data[f"{kind}_at"] for kind, _ in KIND_CHOICES},
            "enabled": {kind for kind, _ in KIND_CHOICES if data[f"{kind}_on"]},
        }
