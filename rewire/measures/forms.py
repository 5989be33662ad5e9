"""The questionnaire and warning-sign forms. They carry what was ticked to the actions, which
check it against the instrument's own rules (scoring.answer_problems); the problems come back
here as errors next to the question they are about."""

from django import forms

from rewire.core.forms import SavedOnce
from rewire.measures.instruments import Instrument, RedFlag
from rewire.measures.suitability import Question as SuitabilityQuestion

NOT_ANSWERED = "Not answered yet."


class Question:
    """One question of a form, numbered as the person sees it."""

    def __init__(self, number: int, field: forms.BoundField):
        self.number = number
        self.field = field
        self.anchor = f"question-{number}"

    @property
    def first_radio_id(self) -> str:
        return f"{self.field.auto_id}_0"


class QuestionsForm(SavedOnce):
    """A form of numbered questions, each a group of radio buttons."""

    def questions(self) -> list[Question]:
        return [Question(number, self[name]) for number, name in enumerate(self.names, 1)]

    def question_errors(self) -> list[Question]:
        return [question for question in self.questions() if question.field.errors]

    def add_problems(self, problems: dict[str, str]) -> None:
        """The action's problems beside their questions (anything else above the form)."""
        for name, reason in problems.items():
            self.add_error(name if name in self.fields else None, reason)


class QuestionnaireForm(QuestionsForm):
    """Every item of an instrument as radio buttons. No answer is required by the form: the
    instrument's missing-answer rule decides (record_response), and its problems are shown."""

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.names = instrument.item_ids
        for item in instrument.items:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=[(option.value, option.label) for option in item.options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers listed."},
            )

    def answers(self) -> dict[str, int | None]:
        return {item_id: self.cleaned_data.get(item_id) for item_id in self.names}

    def posted_answers(self) -> dict[str, int | None]:
        """The answers as sent, whole numbers only, whether or not the form is valid."""
        posted = {}
        for item_id in self.names:
            try:
                posted[item_id] = int(self.data.get(item_id, ""))
            except ValueError:
                posted[item_id] = None
        return posted

    def add_problems(self, problems: dict[str, str]) -> None:
        """The action's problems beside their questions. When too few questions are answered,
        every unanswered one is marked, so the person sees which are left."""
        for name, reason in problems.items():
            if name in self.fields:
                self.add_error(name, reason)
            elif name != "answers":
                self.add_error(None, reason)
        unanswered = [
            question
            for question in self.questions()
            if self.cleaned_data.get(question.field.name) is None
        ]
        if unanswered and ("answers" in problems or len(unanswered) > self.instrument.max_missing):
            numbers = ", ".join(str(question.number) for question in unanswered)
            plural = len(unanswered) != 1
            self.add_error(
                None,
                f"{problems.get('answers', '')} Question{'s' if plural else ''} {numbers} "
                f"{'have' if plural else 'has'} no answer yet.".strip(),
            )
            for question in unanswered:
                if question.field.name not in self.errors:
                    self.add_error(question.field.name, NOT_ANSWERED)


YES_NO = [("yes", "Yes"), ("no", "No")]


class ScreeningForm(QuestionsForm):
    """Every warning sign as a yes/no question: no answer is ticked to start with, and every
    one needs an answer."""

    def __init__(self, *args, flags: tuple[RedFlag, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = flags
        self.names = tuple(flag.id for flag in flags)
        for flag in flags:
            self.fields[flag.id] = forms.ChoiceField(
                label=flag.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer yes or no.",
                    "invalid_choice": "Answer yes or no.",
                },
            )

    def answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] == "yes" for name in self.names}


class SuitabilityForm(QuestionsForm):
    """Who the programme is for: each question's options as radio buttons, none ticked to
    start with, every one needing an answer."""

    def __init__(self, *args, questions: tuple[SuitabilityQuestion, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = tuple(question.id for question in questions)
        for question in questions:
            self.fields[question.id] = forms.ChoiceField(
                label=question.question,
                help_text=question.help,
                choices=[(option.value, option.label) for option in question.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose an answer.",
                    "invalid_choice": "Choose one of the answers listed.",
                },
            )

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.names}
