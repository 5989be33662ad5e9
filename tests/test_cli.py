"""The `rewire` command, run as real processes against a throw-away REWIRE_HOME."""

import datetime as dt
import gzip
import io
import json
import socket
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone
from helpers import run_rewire

from rewire.accounts.models import User
from rewire.diary.demo import demo_diary
from rewire.exposure import actions as exposure
from rewire.exposure import ladder
from rewire.exposure.models import ActivitySession, ExposureAttempt, Rung

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, *, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_serve_migrates_and_serves_with_gunicorn_and_static_files(tmp_path):
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REWIRE_PLAIN_STATIC")
    }
    # With a helpline file, serve's first line is the address (no rewire.W001 warning).
    helplines = tmp_path / "helplines.yaml"
    helplines.write_text('en:\n  - {name: "Test Line", url: "https://help.invalid/"}\n')
    env.update(
        REWIRE_HOME=str(home),
        DJANGO_SETTINGS_MODULE="rewire.settings",
        REWIRE_HELPLINES_FILE=str(helplines),
    )
    created = run_rewire(
        "user", "create", "--email", "sam@example.com", env=env, input="a long pass phrase 42\n"
    )
    assert created.returncode == 0, created.stderr
    assert "Created the patient account sam@example.com" in created.stdout
    token = run_rewire("token", "create", "--email", "sam@example.com", env=env).stdout.strip()
    assert token.startswith("rw_")

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rewire", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first_line = server.stdout.readline()
        assert f"http://localhost:{port}/" in first_line
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, headers, _ = request(base + "/accounts/login")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert headers["Cache-Control"] == "no-store"
        status, _, css = request(base + "/static/rewire/rewire.css")
        assert status == 200 and ".scale" in css
        # Compressed when asked (ADR 0014): the page by GZipMiddleware, the CSS and JavaScript
        # as the .gz files collectstatic wrote, which WhiteNoise sends.
        for path in ("/accounts/login", "/static/rewire/rewire.css", "/static/rewire/rewire.js"):
            asked = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(asked, timeout=10) as response:
                assert response.headers["Content-Encoding"] == "gzip", path
                assert gzip.decompress(response.read()).strip(), path
        status, _, body = request(base + "/api/v1/checkins", token=token, body={"pain": 3})
        assert status == 201, body
        status, _, body = request(base + "/api/v1/checkins", token=token)
        assert json.loads(body)["count"] == 1
        # DEBUG is off: an unknown page is a plain 404, not Django's debug page.
        status, _, body = request(base + "/no-such-page")
        assert status == 404 and "URLconf" not in body
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (home / "rewire.sqlite3").exists()


def test_user_create_refuses_a_weak_password_and_a_duplicate(tmp_path):
    env = {"REWIRE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rewire.settings"}
    run_rewire("migrate", "-v0", env=env)
    weak = run_rewire("user", "create", "--email", "x@example.com", env=env, input="short\n")
    assert weak.returncode != 0 and "Use at least 10 characters" in weak.stderr
    ok = run_rewire(
        "user", "create", "--email", "x@example.com", env=env, input="a long pass phrase 42\n"
    )
    assert ok.returncode == 0
    again = run_rewire(
        "user", "create", "--email", "X@example.com", env=env, input="a long pass phrase 42\n"
    )
    assert again.returncode != 0 and "already exists" in again.stderr


def test_demo_makes_ten_years_and_refreshes_without_duplicating(tmp_path):
    env = {"REWIRE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rewire.settings"}
    run_rewire("migrate", "-v0", env=env)
    first = run_rewire("demo", "--days", "3650", env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Sign in with email demo@rewire.invalid and password demo-" in first.stdout
    count = int(first.stdout.split("Demo diary ready: ")[1].split()[0])
    assert count >= 18000
    again = run_rewire("demo", "--days", "30", env=env)
    assert again.returncode == 0
    check = run_rewire(
        "shell",
        "-c",
        "from rewire.diary.models import CheckIn; print(CheckIn.objects.count())",
        env=env,
    )
    assert int(check.stdout.split()[-1]) == int(
        again.stdout.split("Demo diary ready: ")[1].split()[0]
    )


def test_demo_data_has_the_effects_later_analyses_should_find():
    from statistics import mean

    entries = demo_diary(days=365, today=dt.date(2026, 6, 30))
    by_day = {}
    for entry, day in entries:
        by_day.setdefault(day, []).append(entry)

    def day_mean(day):
        return mean(e.pain for e in by_day[day])

    days = sorted(by_day)
    assert len(entries) / len(days) > 4.5
    weekday = mean(day_mean(d) for d in days if d.weekday() < 5)
    weekend = mean(day_mean(d) for d in days if d.weekday() >= 5)
    assert weekday - weekend > 0.4
    # A day's first check-in gives the hours slept the night before: a short night, a worse day.
    after_short_sleep = [day_mean(d) for d in days if by_day[d][0].sleep_hours < 6]
    after_long_sleep = [day_mean(d) for d in days if by_day[d][0].sleep_hours >= 7]
    assert mean(after_short_sleep) - mean(after_long_sleep) > 0.6
    flare_days = [d for d in days if any(e.is_flare for e in by_day[d])]
    assert 10 <= len(flare_days) <= 80
    assert mean(day_mean(d) for d in flare_days) - mean(day_mean(d) for d in days) > 1.5
    first_month = mean(day_mean(d) for d in days[:30])
    last_month = mean(day_mean(d) for d in days[-30:])
    assert first_month - last_month > 0.8
    # Same seed, same diary.
    assert demo_diary(days=30, today=dt.date(2026, 6, 30)) == demo_diary(
        days=30, today=dt.date(2026, 6, 30)
    )


def test_demo_refuses_to_overwrite_a_real_account(tmp_path):
    env = {"REWIRE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rewire.settings"}
    run_rewire(
        "user", "create", "--email", "me@example.com", env=env, input="a long pass phrase 42\n"
    )
    refused = run_rewire("demo", "--email", "me@example.com", "--days", "3", env=env)
    assert refused.returncode != 0 and "real account" in refused.stderr
    allowed = run_rewire("demo", "--email", "me@example.com", "--days", "3", "--replace", env=env)
    assert allowed.returncode == 0, allowed.stderr


@pytest.mark.django_db
def test_demo_builds_a_fear_ladder_and_refreshes_it_without_duplicating():
    def run_demo(*args):
        out = io.StringIO()
        call_command("demo", "--email", "ladder@rewire.invalid", *args, stdout=out)
        return out.getvalue()

    def counts(user):
        return [
            model.objects.for_user(user).count()
            for model in (Rung, ExposureAttempt, ActivitySession)
        ]

    first = run_demo("--days", "40")
    user = User.objects.get(email="ladder@rewire.invalid")
    rungs, tries, sessions = counts(user)
    assert 6 <= rungs <= 8 and 8 <= tries <= 14 and sessions >= 7
    assert f"a fear ladder of {rungs} activities with {tries} tries, 1 mastered" in first
    assert f"{sessions} activity sessions" in first
    now = timezone.now()
    attempts = ExposureAttempt.objects.for_user(user)
    assert not attempts.filter(started_at__gt=now).exists()
    assert not attempts.filter(finished_at__isnull=True).exists()
    assert attempts.filter(next_day_pain__isnull=False).count() >= tries - 3
    # Yesterday's last try waits for its next-day pain on the home page.
    today = user.today()
    assert exposure.next_day_questions(user, today=today)
    ordered = ladder.in_order(Rung.objects.for_user(user))
    assert [rung.mastered for rung in ordered] == [True] + [False] * (rungs - 1)
    suggested = [
        rung for rung in ordered if ladder.mastery_suggested(rung, list(attempts.filter(rung=rung)))
    ]
    assert suggested == [ordered[1]]
    plan = exposure.movement_plan(user, today=today)
    assert plan.baseline is not None and any(week.goal for week in plan.weeks[1:])

    run_demo("--days", "40")
    assert counts(user) == [rungs, tries, sessions]
    again = run_demo("--days", "5", "--seed", "3")
    rungs, tries, sessions = counts(user)
    assert f"a fear ladder of {rungs} activities with {tries} tries" in again
    assert f"{sessions} activity sessions" in again
    assert (
        not ActivitySession.objects.for_user(user)
        .filter(local_date__lt=today - dt.timedelta(days=4))
        .exists()
    )


def test_the_demo_has_a_finished_experiment_with_answers(db):
    import io

    from django.core.management import call_command

    from rewire.accounts.models import User
    from rewire.insights import actions as insights
    from rewire.insights.models import Experiment

    for _ in range(2):  # run twice: replaced, not doubled
        call_command("demo", "--days", "60", "--email", "exp@rewire.invalid", stdout=io.StringIO())
    user = User.objects.get(email="exp@rewire.invalid")
    experiment = Experiment.objects.for_user(user).get()
    report = insights.report(experiment, today=user.today())
    assert report.status == insights.FINISHED
    assert report.result.pairs >= 3 and report.result.p is not None
    assert 0.5 < report.result.adherence <= 1
