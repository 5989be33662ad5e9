"""Sharing with clinicians, through the real views, actions and database: invitations that
expire and work once, scopes, revocation on the next request, the access log, deletion."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from helpers import FULL, PASSWORD, post, signed_in, token_client

from rewire.accounts.actions import create_user
from rewire.accounts.models import User
from rewire.care import actions
from rewire.care.models import AccessLog, Invitation, Share
from rewire.core.errors import InvalidEntry
from rewire.measures import actions as measures


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def bob(db):
    """alice's clinician."""
    return create_user(email="bob@example.com", password=PASSWORD, role=User.CLINICIAN)


@pytest.fixture
def dora(db):
    """Another clinician, not alice's."""
    return create_user(email="dora@example.com", password=PASSWORD, role=User.CLINICIAN)


def shared(alice, bob, scopes=("diary", "questionnaires", "programme")) -> Share:
    _, code = actions.create_invitation(user=alice, scopes=list(scopes))
    return actions.accept_invitation(clinician=bob, code=code)


def test_a_patient_invites_and_the_clinician_accepts_with_the_code(alice, bob):
    patient = signed_in(alice)
    page = patient.post("/sharing/invite", {"scopes": ["diary", "questionnaires"]}, follow=True)
    code = page.context["code"]
    # Reloading the page shows the same code: it never makes another.
    again = patient.get(page.redirect_chain[-1][0])
    assert code in html(again) and Invitation.objects.count() == 1
    # Another browser (another session) never sees it: only its digest is stored.
    elsewhere = signed_in(alice).get(page.redirect_chain[-1][0], follow=True)
    assert code not in html(elsewhere) and "was shown once" in html(elsewhere)
    assert len(code) == 14 and code.count("-") == 2
    assert f"/care/accept?code={code}" in html(page)
    invitation = Invitation.objects.for_user(alice).get()
    assert code not in (invitation.digest, invitation.hint) and invitation.hint == code[:4]
    clinician = signed_in(bob)
    assert clinician.get(f"/care/accept?code={code}").context["form"]["code"].value() == code
    response = clinician.post("/care/accept", {"code": code.lower().replace("-", " ")})
    share = Share.objects.get()
    assert response.url == f"/care/patients/{share.pk}"
    assert (share.user, share.clinician, share.scopes) == (alice, bob, ["diary", "questionnaires"])
    assert "alice@example.com" in html(clinician.get("/care"))


def test_written_thoughts_are_off_unless_chosen(alice):
    page = signed_in(alice).get("/sharing")
    assert page.context["form"]["scopes"].value() == ["diary", "questionnaires", "programme"]


def test_an_invitation_works_once_and_not_after_it_expires_or_is_withdrawn(alice, bob, dora):
    _, code = actions.create_invitation(user=alice, scopes=["diary"])
    actions.accept_invitation(clinician=bob, code=code)
    with pytest.raises(InvalidEntry):
        actions.accept_invitation(clinician=dora, code=code)
    old, old_code = actions.create_invitation(user=alice, scopes=["diary"])
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    with pytest.raises(InvalidEntry) as refused:
        actions.accept_invitation(clinician=dora, code=old_code)
    withdrawn, withdrawn_code = actions.create_invitation(user=alice, scopes=["diary"])
    actions.revoke_invitation(user=alice, pk=withdrawn.pk)
    with pytest.raises(InvalidEntry) as also_refused:
        actions.accept_invitation(clinician=dora, code=withdrawn_code)
    # One message for every bad code: nothing to learn by trying.
    assert refused.value.problems == also_refused.value.problems
    assert not Share.objects.filter(clinician=dora).exists()


def test_only_a_clinician_account_can_accept(alice, carol):
    _, code = actions.create_invitation(user=alice, scopes=["diary"])
    with pytest.raises(InvalidEntry):
        actions.accept_invitation(clinician=carol, code=code)
    assert signed_in(carol).get("/care").status_code == 404  # a patient has no patient list


def test_a_clinician_sees_only_what_was_shared_and_every_view_is_logged(alice, bob):
    post(token_client(alice), {**FULL, "thought": "alice-private-thought"})
    share = shared(alice, bob, scopes=["diary"])
    clinician = signed_in(bob)
    page = html(clinician.get(f"/care/patients/{share.pk}"))
    assert "Pain, 7-day average" in page
    assert "alice-private-thought" not in page and "Questionnaires" not in page
    actions.update_share(user=alice, pk=share.pk, scopes=["diary", "thoughts"])
    assert "alice-private-thought" in html(clinician.get(f"/care/patients/{share.pk}"))
    rows = AccessLog.objects.filter(patient=alice.pseudonym)
    assert [row.what for row in rows] == ["patient page", "patient page"]
    assert {row.clinician for row in rows} == {bob.pseudonym}


def test_revoking_takes_effect_on_the_clinicians_very_next_request(alice, bob):
    share = shared(alice, bob)
    clinician = signed_in(bob)
    assert clinician.get(f"/care/patients/{share.pk}").status_code == 200
    patient = signed_in(alice)
    assert "Stop sharing?" in html(patient.get(f"/sharing/{share.pk}/stop"))
    patient.post(f"/sharing/{share.pk}/stop")
    assert clinician.get(f"/care/patients/{share.pk}").status_code == 404
    assert "alice@example.com" not in html(clinician.get("/care"))


def test_another_clinician_gets_404_for_a_patient_page(alice, bob, dora):
    share = shared(alice, bob)
    assert signed_in(dora).get(f"/care/patients/{share.pk}").status_code == 404
    assert not AccessLog.objects.filter(clinician=dora.pseudonym).exists()


def test_the_patient_reads_who_saw_their_data(alice, bob):
    share = shared(alice, bob)
    signed_in(bob).get(f"/care/patients/{share.pk}")
    page = html(signed_in(alice).get("/sharing/log"))
    assert "bob@example.com" in page and "Patient page" in page


def test_safety_alerts_come_first_in_the_clinicians_list(alice, carol, bob):
    shared(alice, bob)
    shared(carol, bob)
    measures.record_response(
        user=carol, instrument_id="phq9", answers={f"phq9_{n}": 1 for n in range(1, 10)}
    )
    rows = signed_in(bob).get("/care").context["rows"]
    assert [share.user for share, _ in rows] == [carol, alice]
    assert rows[0][1].alerts


def test_sharing_and_its_changes_ask_for_the_password_when_the_sign_in_is_old(alice, bob):
    patient = signed_in(alice)
    session = patient.session
    session["rewire_password_at"] = 0
    session.save()
    response = patient.post("/sharing/invite", {"scopes": ["diary", "thoughts"]})
    assert response.status_code == 422
    assert "Please confirm your password to go on" in html(response)
    # The choice is kept as ticked; the password is asked on the same form.
    assert response.context["form"]["scopes"].value() == ["diary", "thoughts"]
    assert not Invitation.objects.exists()
    wrong = patient.post("/sharing/invite", {"scopes": ["diary"], "confirm_password": "nope"})
    assert "That password is not right" in html(wrong) and not Invitation.objects.exists()
    patient.post("/sharing/invite", {"scopes": ["diary"], "confirm_password": PASSWORD})
    assert Invitation.objects.for_user(alice).get().scopes == ["diary"]


def test_showing_a_clinician_less_never_asks_for_the_password(alice, bob):
    share = shared(alice, bob)
    patient = signed_in(alice)
    session = patient.session
    session["rewire_password_at"] = 0
    session.save()
    assert patient.post(f"/sharing/{share.pk}", {"scopes": ["diary"]}).status_code == 302
    share.refresh_from_db()
    assert share.scopes == ["diary"]
    assert patient.post(f"/sharing/{share.pk}", {"scopes": ["diary", "thoughts"]}).status_code == (
        422
    )


def test_changing_what_is_shared_needs_at_least_one_part(alice, bob):
    share = shared(alice, bob)
    response = signed_in(alice).post(f"/sharing/{share.pk}", {})
    assert response.status_code == 422
    share.refresh_from_db()
    assert share.scopes == ["diary", "questionnaires", "programme"]


def test_deleting_an_account_leaves_no_row_that_refers_to_it(alice, bob):
    api = token_client(alice)
    post(api, FULL)
    share = shared(alice, bob)
    signed_in(bob).get(f"/care/patients/{share.pk}")
    patient = signed_in(alice)
    patient.post("/accounts/login", {"username": alice.email, "password": "wrong"})
    assert "Delete your account" in html(patient.get("/settings/delete"))
    assert patient.post("/settings/delete", {"confirm": "nope"}).status_code == 422
    alice_id, alice_email, pseudonym = alice.pk, alice.email, alice.pseudonym
    response = patient.post("/settings/delete", {"confirm": "delete"})
    assert "Your account is deleted" in html(response)
    assert not get_user_model().objects.filter(pk=alice_id).exists()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is get_user_model()
            ):
                assert not model.objects.filter(**{field.name: alice_id}).exists(), model
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(alice_id)
    from axes.models import AccessAttempt, AccessFailureLog

    assert not AccessAttempt.objects.filter(username__iexact=alice_email).exists()
    assert not AccessFailureLog.objects.filter(username__iexact=alice_email).exists()
    # The access log keeps its row, naming no one who still exists.
    kept = AccessLog.objects.get()
    assert kept.patient == pseudonym and not User.objects.filter(pseudonym=pseudonym).exists()
    assert bob.email not in str(vars(kept)) and alice_email not in str(vars(kept))
    assert signed_in(bob).get("/care").context["rows"] == []
    assert api.get("/api/v1/checkins").status_code == 401  # its tokens went with it


def test_a_clinicians_report_holds_only_the_shared_sections_and_is_logged(alice, bob):
    share = shared(alice, bob, scopes=["questionnaires"])
    clinician = signed_in(bob)
    page = clinician.get(f"/care/patients/{share.pk}/report")
    assert page.status_code == 200
    assert [value for value, _ in page.context["form"].fields["sections"].choices] == [
        "questionnaires"
    ]
    # Asking for a section not shared is refused, not quietly shown.
    refused = clinician.get(
        f"/care/patients/{share.pk}/report",
        {"first": "2026-01-01", "last": "2026-01-28", "sections": ["pain"]},
    )
    assert refused.status_code == 422
    logged = list(AccessLog.objects.filter(patient=alice.pseudonym).values_list("what", flat=True))
    assert len(logged) == 1 and logged[0].startswith("report, ")  # the refused one is not logged
    actions.revoke_share(user=alice, pk=share.pk)
    assert clinician.get(f"/care/patients/{share.pk}/report").status_code == 404
