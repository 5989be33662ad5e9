"""The programme's gate: every programme page and API write waits for the warning-sign
questions, and after a yes for the person's word that a clinician has assessed it. Logging
is never behind it. The measures app owns the gate; the programme and the fear ladder use
these decorators."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from ninja import Status

from rewire.core.schemas import MessageOut
from rewire.measures.actions import NOT_SCREENED, OPEN, RECHECK, programme_state

# Add to the responses of every operation behind programme_open_api.
LOCKED_409 = {409: MessageOut}


def programme_open(view=None, *, get_object=None):
    """For pages: until the gate opens, lead to the warning-sign questions. With
    `get_object`, a stranger's object is a 404 first, so an object's page answers a stranger
    the same whether or not they have been screened."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            state = programme_state(request.user)
            if state == OPEN:
                return view(request, *args, **kwargs)
            if get_object is not None:
                get_object(request.user, kwargs["pk"])
            if state == NOT_SCREENED:
                messages.info(request, "Before the programme: a few questions about warning signs.")
            elif state == RECHECK:
                messages.info(
                    request,
                    "Time to answer the warning-sign questions again: they come back every four "
                    "weeks, and after a flare that is stronger or somewhere new.",
                )
            else:
                messages.info(
                    request,
                    "The programme waits until a clinician has assessed the warning signs you "
                    "answered yes to.",
                )
            return redirect("warning_signs")

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
                        "detail": "The programme opens after the warning-sign questions, "
                        "which come back every four weeks and after an unusual flare: answer "
                        "them, and if any answer is yes, see a clinician first "
                        "(GET /api/v1/safety)."
                    },
                )
            return operation(request, *args, **kwargs)

        return wrapped

    return decorate(operation) if operation is not None else decorate
