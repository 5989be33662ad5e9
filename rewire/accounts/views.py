from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rewire.accounts import actions
from rewire.accounts.forms import SignUpForm, TimezoneForm, TokenForm
from rewire.accounts.models import ApiToken, User
from rewire.accounts.reauth import mark_password_given
from rewire.core.forms import form_status


class SignIn(LoginView):
    """Django's sign-in, answering a refused attempt with 422 like every other form."""

    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    if not settings.OPEN_SIGNUP and User.objects.exists():
        return render(request, "accounts/signup_closed.html", status=403)
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = ""
    # Arriving from a patient's invitation link: most likely a clinician.
    invited = wanted.startswith("/care/accept")
    form = SignUpForm(
        request.POST or None, initial={"role": User.CLINICIAN if invited else User.PATIENT}
    )
    if request.method == "POST" and form.is_valid():
        user = actions.create_user(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            timezone=form.cleaned_data["timezone"],
            role=form.cleaned_data["role"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.is_clinician:
            messages.success(request, "Welcome to Rewire. Patients can now share with you.")
        else:
            messages.success(request, "Welcome to Rewire. Log how your pain is right now.")
        return redirect(wanted or "home")
    return render(
        request, "accounts/signup.html", {"form": form, "next": wanted}, status=form_status(form)
    )


@login_required
def settings_page(request):
    timezone_form = TimezoneForm(
        request.POST if "timezone" in request.POST else None,
        initial={"timezone": request.user.timezone},
    )
    if request.method == "POST" and timezone_form.is_valid():
        actions.set_timezone(user=request.user, timezone=timezone_form.cleaned_data["timezone"])
        messages.success(request, f"Timezone set to {request.user.timezone}.")
        return redirect("settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "timezone_form": timezone_form,
            "token_form": TokenForm(),
            "tokens": ApiToken.objects.for_user(request.user),
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name (at most 100 characters).")
        return redirect("settings")
    token, secret = actions.create_api_token(user=request.user, name=form.cleaned_data["name"])
    # Shown once, on this page only; only its digest is stored.
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        actions.revoke_api_token(user=request.user, token_id=token.pk)
        messages.success(request, f"Token “{token.name}” revoked.")
        return redirect("settings")
    return render(request, "accounts/token_confirm_revoke.html", {"token": token})


class ConfirmPasswordForm(AuthenticationForm):
    """The password of the person signed in, asked again before a sensitive action."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That password is not right. Please try again.",
    }

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget = self.fields["username"].hidden_widget()
        self.fields["username"].initial = request.user.email
        self.fields["password"].widget.attrs["autofocus"] = True


@login_required
def confirm_password(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = "/"
    data = None
    if request.method == "POST":
        # Only the signed-in person's password is checked, whatever email was sent.
        data = {"username": request.user.email, "password": request.POST.get("password", "")}
    form = ConfirmPasswordForm(request, data=data)
    if data is not None and form.is_valid():
        mark_password_given(request)
        messages.success(request, "Password confirmed. You can go on now.")
        return redirect(wanted)
    return render(
        request,
        "accounts/confirm_password.html",
        {"form": form, "next": wanted},
        status=422 if data is not None else 200,
    )
