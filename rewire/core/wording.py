"""Rewire's own words for the problems Django's form fields and validators find.

Django's defaults ("This field is required.", "Ensure this value is greater than or equal to
0.", "Enter a whole number.") are replaced once, at start-up, for every form of every app: a
form or field that says something more precise still does (an `error_messages` argument or a
validator given its own message wins). Each message is shown next to its field, so it does not
repeat the field's name. tests/test_form_wording.py walks the project's forms with bad input
and fails on any of Django's own messages.
"""

from django import forms
from django.core import validators

FIELD_MESSAGES = {
    forms.Field: {"required": "Please fill this in."},
    forms.IntegerField: {"invalid": "Use a whole number, such as 12."},
    forms.FloatField: {"invalid": "Use a number, such as 6.5."},
    forms.DecimalField: {"invalid": "Use a number, such as 6.5."},
    forms.DateField: {"invalid": "Use a date, such as 2025-03-14."},
    forms.TimeField: {"invalid": "Use a time, such as 14:30."},
    forms.DateTimeField: {"invalid": "Use a date and time, such as 2025-03-14 14:30."},
    forms.DurationField: {"invalid": "Use a length of time, such as 00:20:00."},
    forms.URLField: {"invalid": "Use a full web address, such as https://example.org."},
    forms.ChoiceField: {"invalid_choice": "Choose one of the options shown."},
    forms.MultipleChoiceField: {
        "invalid_choice": "Choose from the options shown.",
        "invalid_list": "Choose from the options shown.",
    },
    forms.ModelChoiceField: {"invalid_choice": "Choose one of the options shown."},
    forms.ModelMultipleChoiceField: {
        "invalid_choice": "Choose from the options shown.",
        "invalid_pk_value": "Choose from the options shown.",
        "invalid_list": "Choose from the options shown.",
    },
    forms.UUIDField: {"invalid": "This does not look like a code Rewire made."},
    forms.JSONField: {"invalid": "This is not valid JSON."},
    forms.FileField: {
        "invalid": "Choose a file to upload.",
        "missing": "Choose a file to upload.",
        "empty": "That file is empty.",
    },
}

VALIDATOR_MESSAGES = {
    validators.MinValueValidator: "Use a number of %(limit_value)s or more.",
    validators.MaxValueValidator: "Use a number of %(limit_value)s or less.",
    validators.MinLengthValidator: "Use at least %(limit_value)d characters.",
    validators.MaxLengthValidator: (
        "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
    ),
    validators.StepValueValidator: "Use a multiple of %(limit_value)s.",
    validators.EmailValidator: "Use an email address, such as name@example.org.",
    validators.URLValidator: "Use a full web address, such as https://example.org.",
    validators.ProhibitNullCharactersValidator: "Remove the invisible null character.",
}

DECIMAL_MESSAGES = {
    "invalid": "Use a number, such as 6.5.",
    "max_digits": "Use at most %(max)s digits.",
    "max_decimal_places": "Use at most %(max)s decimal places, such as 6.5.",
    "max_whole_digits": "Use at most %(max)s digits before the decimal point.",
}


def use_rewire_words() -> None:
    """Install the messages above as the defaults (called once, from CoreConfig.ready)."""
    for field_class, messages in FIELD_MESSAGES.items():
        # Each class's own dict: a subclass merges its parents' dicts at field creation.
        field_class.default_error_messages = {
            **field_class.__dict__.get("default_error_messages", {}),
            **messages,
        }
    for validator_class, message in VALIDATOR_MESSAGES.items():
        validator_class.message = message
    validators.DecimalValidator.messages = {
        **validators.DecimalValidator.messages,
        **DECIMAL_MESSAGES,
    }
