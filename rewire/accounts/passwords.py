"""Django's password checks, saying what is wrong in Rewire's words (settings.py lists them)."""

from django.contrib.auth import password_validation as django


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "This password is too close to your %(verbose_name)s: choose one less like it."


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return f"Use at least {self.min_length} characters; a few words together work well."

    def get_help_text(self):
        return f"At least {self.min_length} characters."


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return "This password is one of the most common ones: choose one that is yours alone."


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return "Use some letters too, not only numbers."
