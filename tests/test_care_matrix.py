"""The access matrix, in one test: patient A (alice, the owner), patient B (carol), a clinician
with alice's consent (bob), a clinician without (dora) and a clinician whose consent alice
revoked (eve), over every URL pattern and every API operation.

The rule: alice's things answer only alice, except the clinician's page of a patient, which
answers only bob (the clinician she shares with), and only with what she chose to share.
"""

import pytest
from django.test import Client
from factories import SECRET_NOTE
from factories.walk import (
    OBJECT_FOR,
    PUBLIC,
    api_operations,
    body_for,
    fill,
    fill_api,
    web_patterns,
)
from helpers import PASSWORD, token_client

from rewire.accounts.actions import create_user
from rewire.accounts.models import User
from rewire.care import actions as care
from rewire.care.models import AccessLog, Share

# Name a share: the clinician's pages of that patient.
CLINICIAN_PAGES = {"patient", "patient_report", "patient_report_pdf"}


def browser(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def people(alice, carol, alices_things):
    bob = User.objects.get(email="bob@example.com")  # alices_things makes him her clinician
    dora = create_user(email="dora@example.com", password=PASSWORD, role=User.CLINICIAN)
    eve = create_user(email="eve@example.com", password=PASSWORD, role=User.CLINICIAN)
    _, code = care.create_invitation(user=alice, scopes=["diary", "thoughts"])
    revoked = care.accept_invitation(clinician=eve, code=code)
    care.revoke_share(user=alice, pk=revoked.pk)
    return {"alice": alice, "carol": carol, "bob": bob, "dora": dora, "eve": eve}


def test_the_access_matrix_over_every_url_and_api_operation(people, alices_things):
    bob_share = Share.objects.get(clinician=people["bob"])
    assert alices_things["share"] == bob_share.pk
    clients = {name: browser(user) for name, user in people.items()}
    walked = 0
    for name, pattern in web_patterns():
        if name in PUBLIC or name in ("logout", "delete_account", "confirm_password"):
            continue
        url = fill(pattern, alices_things, name)
        for who, client in clients.items():
            # alice only reads: her own POSTs would stop her sharing and delete her things.
            for method in ("get",) if who == "alice" else ("get", "post"):
                response = getattr(client, method)(url)
                text = response.content
                walked += 1
                if name in CLINICIAN_PAGES:
                    if who == "bob":
                        # 422: a PDF asked for without choosing its period; 302: the password.
                        assert response.status_code in (200, 302, 405, 422), (who, method, url)
                    else:
                        assert response.status_code in (404, 405), (who, method, url)
                        assert SECRET_NOTE.encode() not in text, (who, method, url)
                    continue
                if name in OBJECT_FOR:
                    if who == "alice":
                        assert response.status_code != 404, (who, method, url)
                    else:
                        assert response.status_code in (404, 405), (who, method, url)
                if who != "alice":
                    assert SECRET_NOTE.encode() not in text, (who, method, url)
    assert walked > 500

    # The clinician's page: bob sees what alice shared (her notes, since she chose thoughts),
    # and the one whose consent was revoked gets nothing, not even that it existed.
    assert SECRET_NOTE in clients["bob"].get(f"/care/patients/{bob_share.pk}").content.decode()
    eves = Share.objects.get(clinician=people["eve"])
    assert clients["eve"].get(f"/care/patients/{eves.pk}").status_code == 404
    for who in ("dora", "eve"):
        assert "alice@example.com" not in clients[who].get("/care").content.decode()
    assert "alice@example.com" in clients["bob"].get("/care").content.decode()

    # Every API operation, with each one's own token: alice's objects are 404 for everyone
    # else, and her secret reaches no one else.
    for who in ("carol", "bob", "dora", "eve"):
        api = token_client(people[who])
        for method, path in api_operations():
            url = fill_api(path, alices_things)
            response = api.generic(method, url, body_for(path), "application/json")
            if "{" in path and "{session_id}" not in path:
                assert response.status_code == 404, (who, method, path)
            assert SECRET_NOTE.encode() not in response.content, (who, method, path)

    # Only bob's views are in alice's access log.
    clinicians = set(
        AccessLog.objects.filter(patient=people["alice"].pseudonym).values_list(
            "clinician", flat=True
        )
    )
    assert clinicians == {people["bob"].pseudonym}
