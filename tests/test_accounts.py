import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from helpers import PASSWORD, ApiClient

from rewire.diary.models import Tag

User = get_user_model()


def test_a_fresh_install_leads_to_sign_up(db):
    assert Client().get("/").url == "/accounts/signup"


def test_once_someone_exists_the_first_visit_leads_to_sign_in(alice):
    assert Client().get("/").url == "/accounts/login"


def test_sign_up_creates_the_account_with_its_timezone_and_signs_in(db):
    client = Client()
    response = client.post(
        "/accounts/signup",
        {
            "email": "New@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "timezone": "Australia/Perth",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert user.timezone == "Australia/Perth"
    assert user.password.startswith("argon2")
    assert Tag.objects.for_user(user).filter(kind=Tag.CONTEXT).exists()
    assert client.get("/").status_code == 200


def test_sign_up_without_javascript_falls_back_to_utc(db):
    Client().post(
        "/accounts/signup", {"email": "a@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert User.objects.get().timezone == "UTC"


def test_weak_or_mismatched_passwords_are_refused_with_reasons(db):
    short = Client().post(
        "/accounts/signup", {"email": "a@example.com", "password1": "abc", "password2": "abc"}
    )
    assert short.status_code == 422
    assert "at least 10 characters" in short.content.decode()
    common = Client().post(
        "/accounts/signup",
        {"email": "a@example.com", "password1": "password123", "password2": "password123"},
    )
    assert "one of the most common ones" in common.content.decode()
    differ = Client().post(
        "/accounts/signup",
        {"email": "a@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_is_refused(alice):
    response = Client().post(
        "/accounts/signup",
        {"email": "ALICE@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_in_and_out(alice):
    client = Client()
    response = client.post(
        "/accounts/login", {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout")
    refused = client.post("/accounts/login", {"username": "alice@example.com", "password": "no"})
    assert refused.status_code == 422
    assert "Please enter a correct" in refused.content.decode()
    assert client.get("/").status_code == 302


def test_repeated_failed_sign_ins_lock_out_that_username_from_that_address(alice):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login", {"username": "alice@example.com", "password": "wrong"})
    locked = client.post("/accounts/login", {"username": "alice@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # The right password from another address still works.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    ok = elsewhere.post("/accounts/login", {"username": "alice@example.com", "password": PASSWORD})
    assert ok.status_code == 302


def test_password_change(alice, alice_client):
    response = alice_client.post(
        "/accounts/password",
        {
            "old_password": PASSWORD,
            "new_password1": "another long phrase 7",
            "new_password2": "another long phrase 7",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another long phrase 7")


def test_password_reset_by_email(alice):
    client = Client()
    client.post("/accounts/reset", {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new phrase 99", "new_password2": "brand new phrase 99"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new phrase 99")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(db):
    response = Client().post("/accounts/reset", {"email": "nobody@example.com"}, follow=True)
    assert "If an account uses that address" in response.content.decode()
    assert mail.outbox == []


def test_timezone_can_be_changed_and_is_validated(alice, alice_client):
    alice_client.post("/settings", {"timezone": "Asia/Tokyo"})
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"
    bad = alice_client.post("/settings", {"timezone": "Mars/Olympus"})
    assert "Choose a timezone from the list." in bad.content.decode()
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"


def test_personal_tokens_are_shown_once_and_can_be_revoked(alice, alice_client):
    page = alice_client.post("/settings/tokens", {"name": "my script"})
    secret = re.search(r"rw_[\w-]+", page.content.decode()).group(0)
    api = ApiClient(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/checkins").status_code == 200
    token = alice.api_tokens.get()
    assert token.digest != secret and secret not in alice_client.get("/settings").content.decode()
    alice_client.post(f"/settings/tokens/{token.pk}/revoke")
    assert api.get("/api/v1/checkins").status_code == 401


def test_sessions_end_after_idle_time_and_activity_extends_them(alice_client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    alice_client.get("/")
    session = Session.objects.get()
    idle_limit = timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert session.expire_date > timezone.now() + idle_limit - timezone.timedelta(seconds=30)
    assert idle_limit <= timezone.timedelta(hours=4)
    # Within five minutes, activity does not write the session again.
    Session.objects.update(expire_date=session.expire_date - timezone.timedelta(minutes=1))
    alice_client.get("/history")
    assert Session.objects.get().expire_date == session.expire_date - timezone.timedelta(minutes=1)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert alice_client.get("/").url.startswith("/accounts/login")


def test_the_operator_can_close_sign_up_but_not_before_the_first_account(db, settings):
    settings.OPEN_SIGNUP = False
    first = Client().post(
        "/accounts/signup",
        {"email": "owner@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert first.status_code == 302
    closed = Client().get("/accounts/signup")
    assert closed.status_code == 403
    assert "Sign-up is closed" in closed.content.decode()
    Client().post(
        "/accounts/signup",
        {"email": "other@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.count() == 1


def test_behind_a_proxy_the_lockout_uses_the_address_the_proxy_saw(alice, settings):
    settings.REWIRE_PROXY_COUNT = 1

    def client_from(address):
        # The client may forge the start of the header; the proxy appends what it saw.
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}")

    attacker = client_from("203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login", {"username": "alice@example.com", "password": "wrong"})
    blocked = attacker.post(
        "/accounts/login", {"username": "alice@example.com", "password": PASSWORD}
    )
    assert blocked.status_code == 429
    alice_at_home = client_from("198.51.100.7").post(
        "/accounts/login", {"username": "alice@example.com", "password": PASSWORD}
    )
    assert alice_at_home.status_code == 302


def test_case_and_spacing_variants_of_an_email_share_one_lockout(alice, settings):
    client = Client(REMOTE_ADDR="203.0.113.10")
    variants = [
        "alice@example.com",
        "ALICE@example.com",
        " Alice@Example.com ",
        "aLiCe@example.com",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login", {"username": variants[attempt % 4], "password": "wrong"})
    for variant in variants:
        response = client.post("/accounts/login", {"username": variant, "password": PASSWORD})
        assert response.status_code == 429, variant


def test_demo_addresses_are_reserved(db):
    import pytest
    from django.core.exceptions import ValidationError

    from rewire.accounts.actions import create_user

    with pytest.raises(ValidationError):
        create_user(email="Demo@Rewire.invalid", password=PASSWORD)
    response = Client().post(
        "/accounts/signup",
        {"email": "x@rewire.invalid", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "reserved for demo accounts" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_reports_every_problem_at_once(db):
    """A bad email, a short password and a second password that differs: all three at once."""
    refused = Client().post(
        "/accounts/signup", {"email": "not an address", "password1": "abc", "password2": "abd"}
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Use an email address, such as name@example.org." in page
    assert "Use at least 10 characters" in page
    assert "The two passwords differ." in page
