"""What every page with a form shares."""


def form_status(form) -> int:
    """422 for a submitted form with problems (scripts, tests and htmx see the refusal), else
    200; the page shows the form and its problems either way."""
    return 422 if form.is_bound and form.errors else 200
