"""Sharing in a real Chromium against a real server thread and database: the patient invites,
the clinician accepts and sees the patient, the patient revokes, and the clinician no longer
can. Two browsers, one per person."""

import re

import pytest
from browser_helpers import sign_in
from helpers import PASSWORD
from playwright.sync_api import Browser, expect

from rewire.accounts.actions import create_user
from rewire.accounts.models import User

pytestmark = pytest.mark.browser


def test_a_patient_invites_a_clinician_then_revokes_and_the_clinician_loses_access(
    browser: Browser, live_server, alice, page, watch
):
    bob = create_user(email="bob@example.com", password=PASSWORD, role=User.CLINICIAN)
    patient = page
    sign_in(patient, live_server.url, alice.email)
    patient.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    patient.get_by_role("link", name="Sharing", exact=True).click()
    expect(patient.get_by_text("No one. Your data is yours alone.")).to_be_visible()
    # Written thoughts are off unless chosen; choose questionnaires off too.
    expect(
        patient.get_by_role("checkbox", name=re.compile("^Written thoughts"))
    ).not_to_be_checked()
    patient.get_by_role("checkbox", name=re.compile("^Questionnaires")).uncheck()
    patient.get_by_role("button", name="Create an invitation").click()
    code = patient.locator(".invitation-code strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    link = patient.locator('a[href*="/care/accept"]').get_attribute("href")

    # The clinician, in a browser of their own, follows the link and accepts.
    clinician = browser.new_context().new_page()
    clinician.set_default_timeout(5_000)
    clinician.goto(f"{live_server.url}/accounts/login")
    clinician.get_by_label("Email").fill(bob.email)
    clinician.get_by_label("Password").fill(PASSWORD)
    clinician.get_by_role("button", name="Sign in").click()
    expect(clinician.get_by_role("heading", name="Your patients")).to_be_visible()
    clinician.goto(link)
    expect(clinician.get_by_label("Invitation code")).to_have_value(code)
    clinician.get_by_role("button", name="Accept").click()
    expect(clinician.get_by_role("heading", name=alice.email)).to_be_visible()
    expect(
        clinician.get_by_role("heading", name="Pain, 7-day average, last 90 days")
    ).to_be_visible()
    expect(clinician.get_by_role("heading", name="Questionnaires")).to_have_count(0)
    patient_page = clinician.url

    # The patient sees who can see her data, and who looked.
    patient.goto(f"{live_server.url}/sharing")
    expect(patient.get_by_text(bob.email, exact=True)).to_be_visible()
    patient.get_by_role("link", name="Who saw my data, and when").click()
    expect(patient.locator("table")).to_contain_text(bob.email)
    expect(patient.locator("table")).to_contain_text("Patient page")

    # She stops sharing: the clinician's very next request finds nothing.
    patient.goto(f"{live_server.url}/sharing")
    patient.get_by_role("link", name=re.compile("^Stop sharing")).click()
    patient.get_by_role("button", name="Stop sharing").click()
    expect(patient.get_by_role("status")).to_contain_text("has stopped")
    response = clinician.goto(patient_page)
    assert response.status == 404
    clinician.goto(f"{live_server.url}/care")
    expect(clinician.get_by_text(alice.email)).to_have_count(0)
    watch.assert_clean()
