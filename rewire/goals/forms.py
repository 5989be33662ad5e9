from django import forms

from rewire.core.forms import ProblemsForm, SavedOnce, rating_field
from rewire.goals.rules import DONE_HELP, DONE_QUESTION, MAX_TITLE_LENGTH, MAX_WHY_LENGTH


class GoalForm(ProblemsForm):
    # The action checks the words; the form only carries them.
    title = forms.CharField(
        label="Something that matters to you",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE_LENGTH, "autocomplete": "off"}),
        help_text="Something pain has taken or made smaller: work, a walk with a friend, a "
        "hobby, playing with your children.",
    )
    why = forms.CharField(
        label="Why it matters (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_WHY_LENGTH}),
        help_text="A few words for yourself, for the weeks when it is hard.",
    )


class NewGoalForm(SavedOnce, GoalForm):
    pass


class RatingForm(ProblemsForm):
    WEEKS = [("this", "This week"), ("last", "Last week")]

    week = forms.ChoiceField(
        label="Which week", choices=WEEKS, initial="this", widget=forms.RadioSelect
    )
    done = rating_field(DONE_QUESTION, required=True, help_text=DONE_HELP)
