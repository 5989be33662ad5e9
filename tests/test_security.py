import io
import threading

import pytest
from django.db.utils import ConnectionHandler
from helpers import open_programme, run_rewire

from rewire import settings as rewire_settings
from rewire.accounts.actions import create_api_token
from rewire.diary.models import CheckIn


def sqlite_connection(tmp_path, monkeypatch):
    """A connection made from the settings' own SQLite configuration, whatever the suite uses."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(rewire_settings, "REWIRE_HOME", tmp_path)
    config = rewire_settings._databases()["default"]
    assert config["ENGINE"] == "rewire.sqlite_backend"
    return ConnectionHandler({"default": config})["default"]


@pytest.fixture
def unblocked(django_db_blocker):
    # These tests open their own connections to their own files, not the test database.
    with django_db_blocker.unblock():
        yield


def test_sqlite_connection_uses_wal_full_sync_immediate_and_a_busy_timeout(
    tmp_path, monkeypatch, unblocked
):
    connection = sqlite_connection(tmp_path, monkeypatch)
    try:
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.transaction_mode == "IMMEDIATE"
    finally:
        connection.close()


def test_sqlite_writers_queue_on_the_write_lock(tmp_path, monkeypatch, unblocked):
    first = sqlite_connection(tmp_path, monkeypatch)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
    events = []

    def second_writer():
        second = sqlite_connection(tmp_path, monkeypatch)
        second.ensure_connection()
        # Without SQLite's own busy wait, only the write lock can keep this from failing.
        with second.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout=0")
        second._start_transaction_under_autocommit()  # what atomic() does on SQLite
        events.append("second began")
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        second.commit()
        second.close()

    first._start_transaction_under_autocommit()
    assert first._holds_write_lock
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=0.5)
    assert events == []  # waiting for the lock, not failing with "database is locked"
    events.append("first committed")
    first.commit()
    assert not first._holds_write_lock
    thread.join(timeout=10)
    assert events == ["first committed", "second began"]
    with first.cursor() as cursor:
        assert cursor.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)]
    first.close()


@pytest.mark.parametrize(
    "url", ["/", "/history", "/settings", "/checkins/new", "/accounts/password", "/api/v1/checkins"]
)
def test_security_headers_on_every_page(alice_client, url):
    response = alice_client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp.replace("'self'", "")  # no outside hosts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def call_application(path, *, method="GET", body=b"", **headers):
    """One request through the WSGI application `rewire serve` runs."""
    from rewire.handlers import get_application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    answer["body"] = b"".join(get_application()(environ, start_response))
    return answer


@pytest.mark.parametrize("token", ["good", "wrong"])
def test_token_requests_take_the_short_chain_with_the_same_protections(
    alice, token, keep_test_connection
):
    _, secret = create_api_token(user=alice, name="headers")
    sent = secret if token == "good" else "rw_not-a-real-token"
    answer = call_application(
        "/api/v1/checkins", method="POST", body=b'{"pain": 3}', authorization=f"Bearer {sent}"
    )
    assert answer["status"] == (201 if token == "good" else 401)
    headers = answer["headers"]
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers  # no session, no CSRF cookie
    assert CheckIn.objects.filter(user=alice).count() == (1 if token == "good" else 0)


def test_a_wrong_token_is_refused_even_beside_a_valid_session(alice_client, keep_test_connection):
    cookie = f"sessionid={alice_client.cookies['sessionid'].value}"
    answer = call_application(
        "/api/v1/checkins",
        method="POST",
        body=b'{"pain": 3}',
        authorization="Bearer rw_not-a-real-token",
        cookie=cookie,
    )
    assert answer["status"] == 401
    assert not CheckIn.objects.exists()


def test_both_chains_send_the_same_protective_headers(alice, alice_client, keep_test_connection):
    _, secret = create_api_token(user=alice, name="parity")
    cookie = f"sessionid={alice_client.cookies['sessionid'].value}"
    by_session = call_application("/api/v1/checkins", cookie=cookie)
    by_token = call_application("/api/v1/checkins", authorization=f"Bearer {secret}")
    assert by_session["status"] == by_token["status"] == 200
    # Vary and cookies belong to sessions; every protective header the full chain sends, this
    # chain sends too.
    session_only = {"Vary", "Set-Cookie", "Content-Length"}  # gunicorn sends the length
    assert set(by_session["headers"]) - session_only <= set(by_token["headers"])


def test_other_bearer_values_keep_the_full_chain_and_the_session(
    alice_client, keep_test_connection
):
    """A proxy may forward its own bearer token: the browser session still counts."""
    cookie = f"sessionid={alice_client.cookies['sessionid'].value}"
    answer = call_application("/api/v1/checkins", authorization="Bearer eyJhbGciOi", cookie=cookie)
    assert answer["status"] == 200


def test_requests_without_a_token_take_the_full_chain(alice_client, keep_test_connection):
    page = call_application("/accounts/login")
    assert page["status"] == 200
    assert "csrftoken" in page["headers"].get("Set-Cookie", "")
    assert "default-src 'self'" in page["headers"]["Content-Security-Policy"]
    # A browser's session still reaches the API through the full chain, CSRF included.
    cookie = f"sessionid={alice_client.cookies['sessionid'].value}"
    assert call_application("/api/v1/checkins", cookie=cookie)["status"] == 200
    refused = call_application(
        "/api/v1/checkins", method="POST", body=b'{"pain": 3}', cookie=cookie
    )
    assert refused["status"] == 403


def test_hsts_is_sent_over_https(alice_client, settings):
    settings.SECURE_SSL_REDIRECT = False
    secure = alice_client.get("/", secure=True)
    assert "max-age=" in secure["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in alice_client.get("/")


@pytest.mark.parametrize("url", ["/", "/history", "/settings", "/checkins/new"])
def test_pages_load_nothing_from_another_host(alice_client, url):
    html = alice_client.get(url).content.decode()
    for attribute in ("src=", "href="):
        for value in html.split(attribute)[1:]:
            target = value[1:].split(value[0])[0]
            assert not target.startswith(("http:", "https:", "//")), target


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    # Without one, rewire.W001 warns that no crisis helpline is configured.
    helplines = tmp_path / "helplines.yaml"
    helplines.write_text('en:\n  - {name: "Test Line", url: "https://help.invalid/"}\n')
    result = run_rewire(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "REWIRE_HOME": str(tmp_path),
            "REWIRE_HTTPS": "1",
            "REWIRE_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "REWIRE_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "rewire.settings",
            "REWIRE_HELPLINES_FILE": str(helplines),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_generated_once_and_kept(tmp_path):
    env = {"REWIRE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rewire.settings"}
    env_no_key = {**env}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_rewire("shell", "-c", code, env=env_no_key)
    second = run_rewire("shell", "-c", code, env=env_no_key)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.split()[-1] == second.stdout.split()[-1] == key
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_a_server_error_is_logged_by_where_it_happened_not_what_was_written(alice, monkeypatch):
    import io
    import logging

    from helpers import token_client

    from rewire.diary import actions

    def broken(*, user, entry):
        raise ValueError(f"could not save {entry.note!r}")

    monkeypatch.setattr(actions, "record_checkin", broken)
    from rewire.logs import WhereNotWhat

    [console] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, WhereNotWhat) for f in handler.filters)
    ]
    written = io.StringIO()
    previous = console.setStream(written)
    api = token_client(alice)
    api.raise_request_exception = False
    response = api.post(
        "/api/v1/checkins",
        {"pain": 3, "note": "my very private note"},
        content_type="application/json",
    )
    console.setStream(previous)
    assert response.status_code == 500
    log = written.getvalue()
    assert "Internal Server Error: /api/v1/checkins" in log
    assert "ValueError" in log and "broken" in log
    assert "my very private note" not in log


def test_validation_errors_never_repeat_the_input(alice):
    from helpers import token_client

    response = token_client(alice).post(
        "/api/v1/checkins",
        {"pain": 3, "tags": ["secret-tag"] * 51, "stress": "so stressed"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "secret-tag" not in response.content.decode()
    assert "so stressed" not in response.content.decode()


def test_nothing_but_warnings_and_errors_is_logged_and_gunicorn_keeps_no_access_log():
    from rewire.server.management.commands.serve import server_options

    assert rewire_settings.LOGGING["root"]["level"] == "WARNING"
    assert server_options(host="127.0.0.1", port=1, workers=1, threads=1)["accesslog"] is None


def test_messages_with_the_persons_own_words_stay_on_the_server(alice, alice_client):

    open_programme(alice)
    response = alice_client.post(
        "/movement/ladder",
        {"activity": "Lifting my grandchild", "fear": 50, "expected_pain": 5, "harm": 40},
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = alice_client.get(response.url).content.decode()
    assert "“Lifting my grandchild” is on your ladder." in page
