"""What every page with a form shares: the status of a refused form, the 0-10 scales,
showing an action's problems next to the fields, and saving a create form once."""

import uuid

from django import forms


def form_status(form) -> int:
    """422 for a submitted form with problems (scripts, tests and htmx see the refusal), else
    200; the page shows the form and its problems either way."""
    return 422 if form.is_bound and form.errors else 200


SCALE_CHOICES = [(str(n), str(n)) for n in range(11)]
OPTIONAL_SCALE = [("", "—"), *SCALE_CHOICES]


def rating_field(label: str, *, required: bool, help_text: str = "") -> forms.TypedChoiceField:
    """A 0–10 rating shown as big radio buttons, like the check-in's pain scale."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 0 to 10."},
    )


class ProblemsForm(forms.Form):
    """A form that can show an action's InvalidEntry problems next to its fields."""

    # Problem names that belong to another field of the form, or to the form as a whole (None:
    # said with the name in front, "Started at: ...").
    problem_fields: dict[str, str | None] = {}
    # Problems about the form as a whole whose words need no name in front.
    unnamed_problems: frozenset[str] = frozenset()

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, reason in problems.items():
            if name in self.unnamed_problems:
                self.add_error(None, reason)
                continue
            target = self.problem_fields.get(name, name)
            if target is not None and target not in self.fields:
                target = None
            self.add_error(target, reason if target else f"{_words(name)}: {reason}")


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


class SavedOnce(forms.Form):
    """A create form sent twice (a double tap, a resend) saves once: each rendered form
    carries a random `submission` value (see rewire.core.idempotency.once_per_form)."""

    submission = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex
