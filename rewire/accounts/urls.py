from django.contrib.auth import views as auth_views
from django.urls import path

from rewire.accounts import views as accounts
from rewire.accounts.forms import PasswordChangeForm, SetPasswordForm

urlpatterns = [
    path("settings", accounts.settings_page, name="settings"),
    path("settings/tokens", accounts.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke", accounts.token_revoke, name="token_revoke"),
    path("accounts/signup", accounts.signup, name="signup"),
    path("accounts/confirm", accounts.confirm_password, name="confirm_password"),
    path(
        "accounts/login",
        accounts.SignIn.as_view(),
        name="login",
    ),
    path("accounts/logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/reset", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/sent",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
