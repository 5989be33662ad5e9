"""The API conforms to its own OpenAPI document under generated (also malformed) requests."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from rewire.accounts.actions import create_api_token, create_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_test_connection():
    # Like Django's test client: a request must not close the test's database connection.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db):
    user = create_user(email="fuzz@example.com", password="a long pass phrase 42")
    _, secret = create_api_token(user=user, name="schemathesis")
    return secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # Some schema-valid requests break rules a schema cannot say (a time in the future,
        # an import into a diary that has entries); those are 422/409 by design.
        excluded_checks=[positive_data_acceptance],
    )
