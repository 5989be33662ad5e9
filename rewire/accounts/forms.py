from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation

from rewire.accounts.actions import DEMO_DOMAIN
from rewire.accounts.models import User, validate_timezone
from rewire.accounts.passwords import NewPasswordWording
from rewire.core.validation import KNOWN_TIMEZONES

TIMEZONE_CHOICES = [(name, name) for name in sorted(KNOWN_TIMEZONES)]


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password or only numbers.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(
        label="This account is for",
        choices=[
            (User.PATIENT, "Me: keeping my own pain diary"),
            (User.CLINICIAN, "Me as a clinician: seeing patients who share with me"),
        ],
        initial=User.PATIENT,
        required=False,  # a person keeping a diary, unless a clinician says otherwise
        widget=forms.RadioSelect,
    )
    # Filled in by the browser (static/rewire/timezone.js); UTC without JavaScript.
    timezone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-detect-timezone": ""})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email.endswith(f"@{DEMO_DOMAIN}"):
            raise forms.ValidationError("This address is reserved for demo accounts.")
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Sign in instead."
            )
        return email

    def clean_role(self):
        return self.cleaned_data.get("role") or User.PATIENT

    def clean_timezone(self):
        value = self.cleaned_data.get("timezone") or "UTC"
        return value if value in KNOWN_TIMEZONES else "UTC"

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        # Every problem at once: the password is checked whatever the other fields hold.
        if first:
            email = data.get("email") or self.data.get("email", "")
            try:
                password_validation.validate_password(first, User(email=email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        return data


class TimezoneForm(forms.Form):
    timezone = forms.ChoiceField(
        label="Your timezone",
        choices=TIMEZONE_CHOICES,
        validators=[validate_timezone],
        error_messages={"invalid_choice": "Choose a timezone from the list."},
        help_text="Check-ins belong to the date where you were when you logged them.",
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=100, help_text="What will use it, such as “my script”."
    )


class PasswordChangeForm(NewPasswordWording, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "That is not your password now: try it again.",
    }


class SetPasswordForm(NewPasswordWording, auth_forms.SetPasswordForm):
    pass
