"""Sharing with clinicians: the patient's pages (/sharing) and the clinician's (/care).
Thin views over actions.py; every clinician view of patient data writes the access log."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from rewire.accounts.reauth import password_check, password_is_recent, recent_password_required
from rewire.care import actions, report, report_views, summary
from rewire.care.models import DEFAULT_SCOPES, SCOPES, Invitation, Share
from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.views import confirm
from rewire.measures import actions as measures


class ScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="What the clinician may see",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one part to share."},
    )


class AcceptForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=40,
        help_text="The code your patient gave you, such as ABCD-EFGH-JKLM.",
        error_messages={"required": "Enter the code your patient gave you."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class DeleteForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        error_messages={"required": "Type DELETE to confirm."},
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() != "DELETE":
            raise forms.ValidationError("Type DELETE to confirm.")
        return "DELETE"


def patient_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_clinician:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def clinician_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_clinician:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _scope_labels(scopes) -> list[str]:
    return [SCOPES[scope] for scope in scopes if scope in SCOPES]


# The patient's side


@login_required
@patient_only
def sharing(request):
    user = request.user
    shares = list(Share.objects.for_user(user).select_related("clinician"))
    return render(
        request,
        "care/sharing.html",
        {
            "active": [(s, _scope_labels(s.scopes)) for s in shares if s.active],
            "past": [s for s in shares if not s.active][:20],
            "invitations": [
                (i, _scope_labels(i.scopes))
                for i in Invitation.objects.for_user(user).filter(
                    used_at__isnull=True, revoked_at__isnull=True
                )
            ],
            "form": ScopesForm(initial={"scopes": list(DEFAULT_SCOPES)}),
            "now": timezone.now(),
            "ask_password": not password_is_recent(request),
        },
    )


NEW_INVITATION = "rewire_new_invitation"  # the code, kept in the session until shown once


@login_required
@patient_only
def invite(request):
    # An empty POST (no box ticked) is still a POST: it must be refused, not shown afresh.
    posted = request.POST if request.method == "POST" else None
    form = ScopesForm(posted, initial={"scopes": list(DEFAULT_SCOPES)})
    ask = not password_is_recent(request)
    if posted is not None and form.is_valid():
        problem = password_check(request)
        if problem is None:
            invitation, code = actions.create_invitation(
                user=request.user, scopes=form.cleaned_data["scopes"]
            )
            request.session[NEW_INVITATION] = {"pk": invitation.pk, "code": code}
            # Redirected, so reloading the page shows it again instead of making another.
            return redirect("invitation_created", pk=invitation.pk)
        form.add_error(None, problem)
        ask = True
    return render(
        request,
        "care/invite.html",
        {"form": form, "ask_password": ask},
        status=form_status(form),
    )


@login_required
@patient_only
def invitation_created(request, pk):
    invitation = actions.get_invitation_for(request.user, pk)
    new = request.session.get(NEW_INVITATION)
    if not new or new["pk"] != invitation.pk:
        messages.info(
            request,
            f"The code starting {invitation.hint} was shown once and is not kept. Withdraw it "
            "and make a new one if it is lost.",
        )
        return redirect("sharing")
    code = new["code"]
    link = request.build_absolute_uri(f"{reverse('accept')}?{urlencode({'code': code})}")
    return render(
        request,
        "care/invitation_created.html",
        {
            "invitation": invitation,
            "code": code,
            "link": link,
            "labels": _scope_labels(invitation.scopes),
        },
    )


@login_required
@patient_only
def share_edit(request, pk):
    share = actions.get_share_for(request.user, pk)
    if not share.active:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    form = ScopesForm(posted, initial={"scopes": share.scopes})
    ask = not password_is_recent(request)
    if posted is not None and form.is_valid():
        chosen = form.cleaned_data["scopes"]
        # Showing less never needs the password; showing more does.
        widening = not set(chosen) <= set(share.scopes)
        problem = password_check(request) if widening else None
        if problem is None:
            actions.update_share(user=request.user, pk=pk, scopes=chosen)
            messages.success(request, f"Saved. {share.clinician.email} now sees what you chose.")
            return redirect("sharing")
        form.add_error(None, problem)
        ask = True
    return render(
        request,
        "care/share_edit.html",
        {"form": form, "share": share, "ask_password": ask},
        status=form_status(form),
    )


@login_required
@patient_only
def share_revoke(request, pk):
    share = actions.get_share_for(request.user, pk)
    return confirm(
        request,
        title="Stop sharing?",
        description=(
            f"{share.clinician.email} will no longer see any of your data, from their next "
            "page on. What they saw before is listed under “Who saw my data”."
        ),
        button="Stop sharing",
        cancel="Cancel",
        warning="",
        cancel_url=reverse("sharing"),
        act=lambda: actions.revoke_share(user=request.user, pk=pk),
        done=f"Sharing with {share.clinician.email} has stopped.",
        done_url="sharing",
    )


@login_required
@patient_only
def invitation_withdraw(request, pk):
    invitation = actions.get_invitation_for(request.user, pk)
    return confirm(
        request,
        title="Withdraw this invitation?",
        description=f"The code starting {invitation.hint} will no longer work.",
        button="Withdraw it",
        cancel="Cancel",
        warning="",
        cancel_url=reverse("sharing"),
        act=lambda: actions.revoke_invitation(user=request.user, pk=pk),
        done="Invitation withdrawn.",
        done_url="sharing",
    )


@login_required
@patient_only
def access_log(request):
    return render(request, "care/access_log.html", {"rows": actions.access_log_for(request.user)})


# The clinician's side


@login_required
@clinician_only
def patients(request):
    clinician = request.user
    rows = []
    for share in actions.active_shares_for_clinician(clinician):
        rows.append((share, summary.summary_for(share.user, share.scopes)))
        actions.log_access(clinician=clinician, patient=share.user, what="patient list")
    # Safety alerts first, then by email.
    rows.sort(key=lambda row: (not row[1].alerts, row[0].user.email))
    return render(
        request,
        "care/patients.html",
        {"rows": rows, "alert_emails": measures.alerts_are_emailed()},
    )


@login_required
def accept(request):
    if not request.user.is_clinician:
        # Someone opened a patient's invitation link while signed in as a patient.
        return render(request, "care/accept_not_clinician.html", status=403)
    form = AcceptForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            share = actions.accept_invitation(
                clinician=request.user, code=form.cleaned_data["code"]
            )
        except InvalidEntry as invalid:
            form.add_error("code", invalid.problems["code"])
        else:
            messages.success(request, f"{share.user.email} now shares with you.")
            return redirect("patient", pk=share.pk)
    return render(
        request,
        "care/accept.html",
        {"form": form},
        status=form_status(form),
    )


@login_required
@clinician_only
def patient(request, pk):
    share = actions.get_share_for_clinician(request.user, pk)
    person = share.user
    scopes = share.scopes
    actions.log_access(clinician=request.user, patient=person, what="patient page")
    return render(
        request,
        "care/patient.html",
        {
            "share": share,
            "person": person,
            "labels": _scope_labels(scopes),
            "summary": summary.summary_for(person, scopes),
            "diary": "diary" in scopes,
            "chart": summary.pain_chart(person) if "diary" in scopes else None,
            "progress": summary.programme_progress(person) if "programme" in scopes else None,
            "thoughts": summary.thoughts(person) if "thoughts" in scopes else None,
            "writing": summary.writing(person) if "writing" in scopes else None,
            "can_report": bool(report.sections_for_scopes(scopes)),
        },
    )


def _report_what(form, *, pdf: bool = False) -> str:
    data = form.cleaned_data
    return f"report{' (PDF)' if pdf else ''}, {data['first']:%-d %b %Y} to {data['last']:%-d %b %Y}"


def _patient_report_form(request, share, *, defaults: bool):
    return report_views.report_form(
        request.GET,
        today=share.user.today(),
        defaults=defaults,
        allowed=report.sections_for_scopes(share.scopes),
    )


@login_required
@clinician_only
@require_GET
def patient_report(request, pk):
    """The patient's printable report, with only the sections their sharing allows."""
    share = actions.get_share_for_clinician(request.user, pk)
    if not report.sections_for_scopes(share.scopes):
        raise Http404
    form = _patient_report_form(request, share, defaults=True)
    if form.is_valid():  # logged only when something is shown, with what
        actions.log_access(clinician=request.user, patient=share.user, what=_report_what(form))
    return report_views.page(
        request,
        share.user,
        form,
        form_url=reverse("patient_report", args=[pk]),
        pdf_url=reverse("patient_report_pdf", args=[pk]),
        heading=f"Report: {share.user.email}",
    )


@login_required
@clinician_only
@require_GET
@recent_password_required
def patient_report_pdf(request, pk):
    share = actions.get_share_for_clinician(request.user, pk)
    if not report.sections_for_scopes(share.scopes):
        raise Http404
    form = _patient_report_form(request, share, defaults=False)
    if form.is_valid():
        actions.log_access(
            clinician=request.user, patient=share.user, what=_report_what(form, pdf=True)
        )
    return report_views.pdf_download(
        share.user,
        form,
        back=reverse("patient_report", args=[pk]),
    )


# Deleting an account


@login_required
def delete_account(request):
    form = DeleteForm(request.POST or None)
    ask = not password_is_recent(request)
    if request.method == "POST" and form.is_valid():
        problem = password_check(request)
        if problem is None:
            user = request.user
            logout(request)
            actions.delete_account(user=user)
            return render(request, "accounts/deleted.html")
        form.add_error(None, problem)
        ask = True
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "ask_password": ask},
        status=form_status(form),
    )
