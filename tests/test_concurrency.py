"""Retries that arrive at the same moment, against a real server thread and database."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from helpers import export_document

from rewire.accounts.actions import create_api_token, create_user
from rewire.diary.models import CheckIn


@pytest.fixture
def token(transactional_db):
    user = create_user(email="racer@example.com", password="a long pass phrase 42")
    return create_api_token(user=user, name="race")[1]


def post_many(url, token, bodies, key=None):
    answers = []
    start = threading.Barrier(len(bodies))

    def send(body):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(url, json.dumps(body).encode(), headers)
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append((response.status, json.loads(response.read())))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.read().decode()))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_simultaneous_retries_with_one_key_create_one_checkin(live_server, token):
    answers = post_many(
        live_server.url + "/api/v1/checkins", token, [{"pain": 5, "tags": ["race"]}] * 6, key="k"
    )
    assert [status for status, _ in answers] == [201] * 6, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert CheckIn.objects.count() == 1


def test_two_imports_at_once_write_one_diary(live_server, token):
    document = export_document(
        [
            {
                "pain": n % 11,
                "recorded_at": f"2026-01-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                "local_date": f"2026-01-{1 + n % 28:02d}",
                "created_at": "2026-02-01T00:00:00Z",
                "updated_at": "2026-02-01T00:00:00Z",
            }
            for n in range(1500)
        ]
    )
    answers = post_many(live_server.url + "/api/v1/import", token, [document] * 2)
    assert sorted(status for status, _ in answers) == [201, 409], answers
    assert CheckIn.objects.count() == 1500
