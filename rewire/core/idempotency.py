"""Do a create once per key: a retry with the same key and body gets the first answer."""

import json

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from rewire.core.errors import InvalidEntry
from rewire.core.models import IdempotencyKey


def digest_of(kind: str, content) -> str:
    """A keyed hash of a request's content: equal requests match, and the stored value
    cannot be reversed by trying the few values a small form can hold."""
    text = json.dumps(content, sort_keys=True, default=str)
    return salted_hmac(f"rewire.idempotency.{kind}", text, algorithm="sha256").hexdigest()


class KeyReused(Exception):
    """The key came before with a different request."""


def _earlier_answer(user, key, digest):
    earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
    if earlier is None:
        return None
    if earlier.request_digest != digest:
        raise KeyReused
    return earlier.status_code, earlier.response_body


def once(*, user, key: str, digest: str, run, discarded=lambda: None):
    """`run()` returns (status, body); a success is stored with the key in the same transaction.

    Raises KeyReused when the key was used with another digest. When a concurrent request
    with the same key wins, this one's work is rolled back, `discarded()` is called, and the
    winner's answer is returned.
    """
    try:
        with transaction.atomic():
            if (answer := _earlier_answer(user, key, digest)) is not None:
                return answer
            status, body = run()
            if status < 300:
                IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    request_digest=digest,
                    status_code=status,
                    response_body=body,
                )
            return status, body
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        if (answer := _earlier_answer(user, key, digest)) is None:
            raise
        discarded()
        return answer


def once_per_form(request, kind: str, run):
    """A web form sent twice (a double tap, a resend after a dropped connection) saves once.

    Each rendered form carries a random `submission` value, the key; `run()` returns
    (status, answer) with the new object as {"id": pk}. The same form sent again with other
    content (back, change, send) is a new save, itself saved once.
    """
    token = request.POST.get("submission", "")[:100]
    if not token:
        return run()
    content = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "submission")
    }
    digest = digest_of(kind, content)
    try:
        return once(user=request.user, key=f"{kind}:{token}", digest=digest, run=run)
    except KeyReused:
        return once(user=request.user, key=f"{kind}:{token}:{digest[:16]}", digest=digest, run=run)


def created_once_per_form(request, form, kind: str, create) -> int | None:
    """Run `create()` once per rendered form (see once_per_form): the new object's id, or
    None with the action's problems (InvalidEntry) shown on the form."""

    def run():
        try:
            return 201, {"id": create().pk}
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
            return 422, {}

    status, answer = once_per_form(request, kind, run)
    return answer["id"] if status == 201 else None
