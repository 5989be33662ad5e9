"""Django's password checks, saying what is wrong in Rewire's words (settings.py lists them)."""

from django.contrib.auth import password_validation as django


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "This password is too close to your %(verbose_name)s: choose one less like it."

    def get_help_text(self):
        return "Not like your email address."


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return f"Use at least {self.min_length} characters; a few words together work well."

    def get_help_text(self):
        return f"At least {self.min_length} characters."


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return "This password is one of the most common ones: choose one that is yours alone."

    def get_help_text(self):
        return "Not a common password."


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return "Use some letters too, not only numbers."

    def get_help_text(self):
        return "Not only numbers."


class NewPasswordWording:
    """The new-password fields of Django's password change and reset forms, in Rewire's words
    (mixed into those forms in accounts/forms.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two new passwords are not the same: type them again.",
        }
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = "The same again, to be sure it is typed right."
        if "old_password" in self.fields:
            self.fields["old_password"].label = "Your password now"
