"""Shared fixtures. Personas: alice (a patient), carol (a stranger to alice's data), and bob
(alice's clinician, made by `alices_things`)."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from factories import one_of_each_thing
from helpers import PASSWORD, signed_in

from rewire.accounts.actions import create_user


@pytest.fixture
def alice(db):
    return create_user(email="alice@example.com", password=PASSWORD, timezone="Europe/London")


@pytest.fixture
def alices_things(alice):
    """One of each thing alice owns, each holding factories.SECRET_NOTE; their ids by name."""
    return one_of_each_thing(alice)


@pytest.fixture
def carol(db):
    return create_user(email="carol@example.com", password=PASSWORD, timezone="America/New_York")


@pytest.fixture
def alice_client(alice):
    return signed_in(alice)


@pytest.fixture
def carol_client(carol):
    return signed_in(carol)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser here.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def keep_test_connection():
    """For requests through the real WSGI application: like Django's test client, a request
    must not close the test's database connection (and with it the test's transaction)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def smtp():
    """A real SMTP server on a free local port; `received` holds each message as sent."""

    class Inbox:
        received: list = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            return "250 OK"

    inbox = Inbox()
    inbox.received = []
    with socket.socket() as probe:  # a free port (aiosmtpd checks it can connect to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=10,
        REWIRE_BASE_URL="https://rewire.example.org",
    ):
        yield inbox
    controller.stop()
