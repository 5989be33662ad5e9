"""Each app declares its own pages in its own urls.py, and the root includes every one of them."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

# Django's own sign-in and password views are pages of accounts.
SERVED_BY = {"django.contrib.auth": "rewire.accounts"}

# A few pages of each app, with the arguments their routes take.
A_FEW = {
    "rewire.accounts": [("settings", []), ("login", []), ("token_revoke", [1])],
    "rewire.diary": [("home", []), ("history", []), ("checkin_edit", [1])],
    "rewire.program": [("programme", []), ("programme_session", ["intake"])],
    "rewire.measures": [("questionnaires", []), ("questionnaire", ["phq9"]), ("warning_signs", [])],
    "rewire.exposure": [("movement", []), ("rung", [1]), ("attempt_next_day", [1])],
    "rewire.insights": [("insights", []), ("experiment", [1])],
    "rewire.care": [("your_data", []), ("report_pdf", []), ("sharing", []), ("patient", [1])],
    "rewire.goals": [("goals", []), ("goal_edit", [1])],
    "rewire.reminders": [("reminder_settings", []), ("reminder_keep", ["checkin"])],
}


def module_name(urlconf):
    return getattr(urlconf, "__name__", urlconf)


def page_patterns(resolver=None, declared_in="rewire.urls"):
    """(name or route, the view's app, the urls module that declares it) for every page."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue  # the API's routers are not pages
            yield from page_patterns(entry, module_name(entry.urlconf_name))
        elif isinstance(entry, URLPattern):
            yield entry.name or str(entry.pattern), app_of(entry.callback), declared_in


def app_of(view):
    view = getattr(view, "view_class", view)
    config = apps.get_containing_app_config(view.__module__)
    name = config.name if config else view.__module__
    return SERVED_BY.get(name, name)


def test_each_page_is_declared_in_the_urls_of_the_app_that_serves_it():
    misplaced = [
        (name, app, declared_in)
        for name, app, declared_in in page_patterns()
        if declared_in != f"{app}.urls"
    ]
    assert misplaced == []


def test_the_root_includes_the_urls_of_every_app_with_pages():
    included = [
        module_name(entry.urlconf_name)
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and not str(entry.pattern).startswith("api/")
    ]
    serving = {app for _, app, _ in page_patterns()}
    assert sorted(included) == sorted(f"{app}.urls" for app in serving)
    assert serving == set(A_FEW), "an app's pages are missing, or A_FEW lacks a new app"


@pytest.mark.parametrize("app", sorted(A_FEW))
def test_a_few_pages_of_each_app_reverse_to_its_own_views(app):
    for name, args in A_FEW[app]:
        match = resolve(reverse(name, args=args))
        assert (match.url_name, app_of(match.func)) == (name, app)
