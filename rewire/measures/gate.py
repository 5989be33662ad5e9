"""The programme's gate: every programme page and API write waits for the warning-sign
questions, and after a yes for the person's word that a clinician has assessed it. Logging
is never behind it. The measures app owns the gate; the programme and the fear ladder use
these decorators."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from ninja import Status

from rewire.core.schemas import MessageOut
from rewire.measures.actions import (
    LOCKED,
    NOT_ASKED_SUITABILITY,
    NOT_SCREENED,
    NOT_SUITED,
    OPEN,
    RECHECK,
    programme_state,
)

# Add to the responses of every operation behind programme_open_api.
LOCKED_409 = {409: MessageOut}


@dataclass(frozen=True)
class Waiting:
    """What a closed programme waits for: the page to go to, the link's words, and a
    sentence (the gate's message, the home page's card)."""

    url_name: str
    link: str
    text: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


AS_ALWAYS = "Your check-ins, the flare button and your history work as always."
WAITING = {
    NOT_ASKED_SUITABILITY: Waiting(
        "suitability",
        "Answer the questions on who it is for",
        "Before the programme: five short questions on who it is for, about a minute.",
    ),
    NOT_SUITED: Waiting(
        "suitability",
        "See why, and what to do",
        "Your answers said the programme may not suit you now: it waits until you record that "
        f"a clinician agrees you go on. {AS_ALWAYS}",
    ),
    LOCKED: Waiting(
        "warning_signs",
        "See the warning signs",
        "The programme waits until a clinician has assessed the warning signs you answered "
        f"yes to. {AS_ALWAYS}",
    ),
    NOT_SCREENED: Waiting(
        "warning_signs",
        "Answer the warning-sign questions",
        "Before the programme: some yes-or-no questions about warning signs, about two minutes.",
    ),
    RECHECK: Waiting(
        "warning_signs",
        "Answer the warning-sign questions",
        "Time to answer the warning-sign questions again, about a minute: they come back every "
        f"four weeks, and after a flare that is stronger or somewhere new. {AS_ALWAYS}",
    ),
}


def waiting_for(state: str) -> Waiting | None:
    """What the programme waits for in `state` (None: it is open)."""
    return WAITING.get(state)


def programme_open(view=None, *, get_object=None):
    """For pages: until the gate opens, lead to what it waits for (who the programme is
    for, the warning-sign questions). With `get_object`, a stranger's object is a 404 first,
    so an object's page answers a stranger the same whether or not they have been screened."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            state = programme_state(request.user)
            if state == OPEN:
                return view(request, *args, **kwargs)
            if get_object is not None:
                get_object(request.user, kwargs["pk"])
            waiting = WAITING[state]
            messages.info(request, waiting.text)
            return redirect(waiting.url_name)

        return wrapped

    return decorate(view) if view is not None else decorate


def programme_open_api(operation=None, *, get_object=None, id_param=None):
    """For API writes: 409 until the gate opens (reading and deleting stay open: the records
    are the person's own). With `get_object`, the object named by the path parameter
    `id_param` must be the person's own first: a stranger gets 404 whatever their gate."""
    if (get_object is None) != (id_param is None):
        raise TypeError("programme_open_api takes get_object and id_param together.")

    def decorate(operation):
        @wraps(operation)
        def wrapped(request, *args, **kwargs):
            if get_object is not None:
                get_object(request.auth, kwargs[id_param])
            if programme_state(request.auth) != OPEN:
                return Status(
                    409,
                    {
                        "detail": "The programme opens after the questions on who it is "
                        "for (answers that do not fit: once a clinician agrees) and the "
                        "warning-sign questions, which come back every four weeks and after "
                        "an unusual flare (any yes: see a clinician first). GET "
                        "/api/v1/safety says what it waits for."
                    },
                )
            return operation(request, *args, **kwargs)

        return wrapped

    return decorate(operation) if operation is not None else decorate
