"""The task queue for real (ADR 0013): huey's consumer in its own process (`rewire worker`, or
the one `rewire serve` starts), the queue in SQLite under REWIRE_HOME, and a real SMTP server
(aiosmtpd, in this process). A task queued while no consumer runs is done when one starts; a
task whose email is refused is tried again; `rewire serve` starts and stops its consumer."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from helpers import PASSWORD, production_environment, run_rewire

# Made in the child process's own database, as a patient and her clinician would.
A_CRISIS_ANSWER_SHARED_WITH_BOB = f"""
from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.measures import actions as measures
patient = create_user(email="pat@example.com", password="{PASSWORD}")
bob = create_user(email="bob@example.com", password="{PASSWORD}", role="clinician")
_, code = care.create_invitation(user=patient, scopes=["questionnaires"])
care.accept_invitation(clinician=bob, code=code)
answers = {{f"phq9_{{n}}": 1 for n in range(1, 10)}}
measures.record_response(user=patient, instrument_id="phq9", answers=answers)
"""


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def home(tmp_path) -> dict:
    """A production-like environment in a fresh REWIRE_HOME, its database migrated, sending
    email to 127.0.0.1 on `port` and trying a refused task again after 1 second."""
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "rewire.settings",  # not the tests' immediate queue
        "REWIRE_HOME": str(tmp_path),
        "REWIRE_SMTP_HOST": "127.0.0.1",
        "REWIRE_SMTP_PORT": str(port),
        "REWIRE_SMTP_STARTTLS": "0",
        "REWIRE_BASE_URL": "https://rewire.example.org",
        "REWIRE_TASK_RETRY_DELAY": "1",
    }
    assert run_rewire("migrate", "-v0", env=env).returncode == 0
    return {"env": env, "port": port, "path": tmp_path}


def start(*args, env) -> subprocess.Popen:
    """`rewire <args>` in its own process; `process.lines` collects what it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rewire", *args],
        env=production_environment(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.lines = []
    threading.Thread(target=lambda: process.lines.extend(process.stdout), daemon=True).start()
    return process


def said(process: subprocess.Popen) -> str:
    return "".join(process.lines)


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    time.sleep(0.2)
    return said(process)


# A database of Redis's own for these tests, emptied first (the suite runs them one at a time).
REDIS_URL = os.environ.get("REWIRE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_task_queued_with_no_consumer_is_done_when_one_starts(home, storage):
    if storage == "redis":
        redis.Redis.from_url(REDIS_URL).flushdb()
        home["env"]["REDIS_URL"] = REDIS_URL
    controller, inbox = mail_server(home["port"])
    try:
        made = run_rewire("shell", "-c", A_CRISIS_ANSWER_SHARED_WITH_BOB, env=home["env"])
        assert made.returncode == 0, made.stderr
        # Queued (in the SQLite file under REWIRE_HOME, or in Redis), and not sent: no
        # consumer yet.
        if storage == "redis":
            assert redis.Redis.from_url(REDIS_URL).llen("huey.redis.rewire") == 1
        else:
            assert (Path(home["path"]) / "tasks.sqlite3").exists()
        time.sleep(1)
        assert inbox.received == []
        worker = start("worker", env=home["env"])
        try:
            assert wait_for(lambda: inbox.received), "the queued alert was never sent"
        finally:
            log = stop(worker)
        [(to, message)] = inbox.received
        assert to == ["bob@example.com"]
        assert message["Subject"] == "Rewire: a patient you care for needs a look"
        body = message.get_payload()
        assert "https://rewire.example.org/care" in body
        for secret in ("pat@", "phq", "answered"):
            assert secret not in body.lower(), secret
        # The log says which task ran, never what it carried.
        assert "pat@example.com" not in log and "bob@example.com" not in log
    finally:
        controller.stop()


def test_an_email_the_server_refuses_is_tried_again_until_it_goes(home):
    made = run_rewire("shell", "-c", A_CRISIS_ANSWER_SHARED_WITH_BOB, env=home["env"])
    assert made.returncode == 0, made.stderr
    worker = start("worker", env=home["env"])
    try:
        # No mail server yet: the first try fails, and is logged by where, never what.
        assert wait_for(lambda: "Unhandled exception in task" in said(worker)), said(worker)
        controller, inbox = mail_server(home["port"])
        try:
            assert wait_for(lambda: inbox.received), "the alert was not tried again"
            time.sleep(2)
            assert len(inbox.received) == 1  # sent once, not once per try
        finally:
            controller.stop()
    finally:
        log = stop(worker)
    failure = next(line for line in log.splitlines() if "Unhandled exception in task" in line)
    assert "[builtins.ConnectionRefusedError at " in failure and "Traceback" not in log
    assert "bob@example.com" not in log


def test_serve_starts_its_consumer_restarts_it_and_stops_it_with_itself(home):
    controller, inbox = mail_server(home["port"])
    port = free_port()
    server = start("serve", "--port", str(port), "--workers", "1", env=home["env"])
    try:
        assert wait_for(lambda: _listening(port)), "the server did not start"
        [first] = _consumers(server.pid)
        # Killed (out of memory, say): the server starts another and says so.
        os.kill(first, signal.SIGKILL)
        assert wait_for(lambda: [p for p in _consumers(server.pid) if p != first]), said(server)
        [consumer] = _consumers(server.pid)
        assert "The task worker stopped; starting it again." in said(server)
        made = run_rewire("shell", "-c", A_CRISIS_ANSWER_SHARED_WITH_BOB, env=home["env"])
        assert made.returncode == 0, made.stderr
        assert wait_for(lambda: inbox.received), "the server's consumer did not send the alert"
    finally:
        stop(server)
        controller.stop()
    assert wait_for(lambda: not _alive(consumer), 45), "the consumer was left running"


def test_without_its_consumer_serve_starts_none(home):
    port = free_port()
    server = start("serve", "--port", str(port), "--workers", "1", "--no-worker", env=home["env"])
    try:
        assert wait_for(lambda: _listening(port)), "the server did not start"
        # gunicorn listens before it forks its workers: wait for one to be there.
        assert wait_for(lambda: _children(server.pid)), "gunicorn started no worker"
        assert _consumers(server.pid) == []
    finally:
        stop(server)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    """The children of every thread of `pid` (a restarted consumer is its watcher's child)."""
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in path.read_text().split()]
        except OSError:
            continue  # the thread ended
    return found


def _consumers(pid: int) -> list[int]:
    """The children of `pid` running `rewire worker` (gunicorn's workers run `serve`)."""
    return [child for child in _children(pid) if _command(child).strip().endswith("rewire worker")]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"
