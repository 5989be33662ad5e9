"""Sensitive actions ask for the password again once the sign-in is a few minutes old."""

import time

from django.http import HttpResponse
from django.test import RequestFactory
from helpers import PASSWORD

from rewire.accounts.reauth import SESSION_KEY, password_is_recent, recent_password_required


@recent_password_required
def sensitive(request):
    return HttpResponse("done")


def sign_in(client, user):
    response = client.post("/accounts/login", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _request(client, path="/export"):
    request = RequestFactory().get(path)
    request.session = client.session
    return request


def test_signing_in_counts_as_giving_the_password(alice, client):
    sign_in(client, alice)
    assert password_is_recent(_request(client))
    assert sensitive(_request(client)).content == b"done"


def test_an_old_sign_in_is_sent_to_confirm_and_comes_back(alice, client, settings):
    sign_in(client, alice)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - settings.REAUTH_MINUTES * 60 - 1
    session.save()
    response = sensitive(_request(client, "/export?what=csv"))
    assert response.status_code == 302
    assert response.url == "/accounts/confirm?next=%2Fexport%3Fwhat%3Dcsv"
    page = client.get(response.url)
    assert "Confirm your password" in page.content.decode()
    wrong = client.post("/accounts/confirm", {"password": "not it", "next": "/export?what=csv"})
    assert wrong.status_code == 422
    assert not password_is_recent(_request(client))
    right = client.post("/accounts/confirm", {"password": PASSWORD, "next": "/export?what=csv"})
    assert right.url == "/export?what=csv"
    assert password_is_recent(_request(client))


def test_the_confirmation_checks_only_the_signed_in_persons_password(alice, carol, client):
    sign_in(client, alice)
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    # carol's email with carol's password does not confirm alice (same PASSWORD in tests,
    # so the email sent must be ignored: it is the signed-in account that is checked).
    response = client.post(
        "/accounts/confirm", {"username": carol.email, "password": "wrong", "next": "/"}
    )
    assert response.status_code == 422
    assert (
        client.post("/accounts/confirm", {"password": PASSWORD, "next": "https://x.example/"}).url
        == "/"
    )


def test_every_export_through_a_browser_session_needs_a_recent_password(alice, client):
    sign_in(client, alice)
    assert client.get("/api/v1/export").status_code == 200
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    for url in ("/api/v1/export", "/api/v1/export/fhir", "/api/v1/export/csv/checkins"):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "Confirm your password" in answer.json()["detail"]
