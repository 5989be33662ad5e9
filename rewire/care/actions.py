"""Every write of clinician sharing, the access log, and account deletion.

Sharing is the patient's to give and take back: an invitation (a code and link that expires
and works once) names what is shared; the clinician who accepts it gets a Share, which the
patient can change or revoke at any time. Every view a clinician has of a patient's data
writes an AccessLog row, which the patient can read.
"""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.care.models import SCOPES, AccessLog, Invitation, Share
from rewire.core.errors import InvalidEntry
from rewire.core.portability import erase_account

INVITATION_DAYS = 7
# Letters and digits that cannot be mistaken for each other when read out or typed.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def normalised_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalised_code(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def scopes_problem(scopes) -> str | None:
    if not isinstance(scopes, list | tuple | set) or not scopes:
        return "Choose at least one part to share."
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        return f"Not something that can be shared: {', '.join(map(str, unknown))}."
    return None


def _scopes(scopes) -> list[str]:
    if problem := scopes_problem(scopes):
        raise InvalidEntry({"scopes": problem})
    return [scope for scope in SCOPES if scope in scopes]  # in the usual order, once each


def _patient(user) -> None:
    if user.is_clinician:
        raise Http404  # sharing is a patient's; a clinician account has no diary to share


# One access helper per object type: the user's own, or 404.
def get_share_for(user, pk) -> Share:
    return get_object_or_404(Share.objects.for_user(user).select_related("clinician"), pk=pk)


def get_invitation_for(user, pk) -> Invitation:
    return get_object_or_404(Invitation.objects.for_user(user), pk=pk)


def get_share_for_clinician(clinician, pk) -> Share:
    """A patient's active share with this clinician, or 404: a revoked share answers like one
    that never existed, from the clinician's very next request."""
    if not clinician.is_clinician:
        raise Http404
    return get_object_or_404(
        Share.objects.select_related("user"),
        pk=pk,
        clinician=clinician,
        revoked_at__isnull=True,
    )


def active_shares_for_clinician(clinician):
    return Share.objects.filter(clinician=clinician, revoked_at__isnull=True).select_related("user")


@transaction.atomic
def create_invitation(*, user, scopes, days: int = INVITATION_DAYS) -> tuple[Invitation, str]:
    """A code for one clinician; returns it once (only its digest is kept)."""
    _patient(user)
    chosen = _scopes(scopes)
    code = _new_code()
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        digest=code_digest(code),
        hint=code[:4],
        scopes=chosen,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return invitation, code


@transaction.atomic
def revoke_invitation(*, user, pk) -> Invitation:
    invitation = get_invitation_for(user, pk)
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def accept_invitation(*, clinician, code: str) -> Share:
    """The clinician's side: an unused, unexpired, unrevoked code becomes a Share. The same
    problem message for every kind of bad code, so a code cannot be probed."""
    refused = InvalidEntry(
        {"code": "This code does not work: it may be mistyped, used, expired or withdrawn."}
    )
    if not clinician.is_clinician:
        raise InvalidEntry({"code": "Only a clinician account can accept an invitation."})
    now = timezone.now()
    invitation = (
        Invitation.objects.select_related("user")
        .filter(digest=code_digest(code), used_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at <= now or invitation.user_id == clinician.pk:
        raise refused
    # Works once: of two accepts at the same moment, only one marks it used.
    if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now):
        raise refused
    existing = Share.objects.filter(
        user=invitation.user, clinician=clinician, revoked_at__isnull=True
    ).first()
    if existing is not None:  # a new invitation to the same clinician: its choices now apply
        existing.scopes, existing.updated_at = invitation.scopes, now
        existing.save(update_fields=["scopes", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Share.objects.create(
                user=invitation.user, clinician=clinician, scopes=invitation.scopes, created_at=now
            )
    except IntegrityError:
        raise refused from None


@transaction.atomic
def update_share(*, user, pk, scopes) -> Share:
    share = get_share_for(user, pk)
    if not share.active:
        raise InvalidEntry({"scopes": "This sharing was stopped; invite the clinician again."})
    share.scopes, share.updated_at = _scopes(scopes), timezone.now()
    share.save(update_fields=["scopes", "updated_at"])
    return share


@transaction.atomic
def revoke_share(*, user, pk) -> Share:
    share = get_share_for(user, pk)
    if share.active:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def log_access(*, clinician, patient, what: str) -> AccessLog:
    return AccessLog.objects.create(
        patient=patient.pseudonym, clinician=clinician.pseudonym, what=what
    )


def access_log_for(user):
    """Who saw this person's data, newest first, with the clinician's email where the
    clinician's account still exists."""
    rows = list(AccessLog.objects.filter(patient=user.pseudonym)[:500])
    names = dict(
        get_user_model()
        .objects.filter(pseudonym__in={row.clinician for row in rows})
        .values_list("pseudonym", "email")
    )
    return [(row, names.get(row.clinician)) for row in rows]


@transaction.atomic
def delete_account(*, user) -> None:
    """Erase everything personal: the account and every row that belongs to it (diary,
    programme, questionnaires, ladder, experiments, tokens, keys, invitations, shares on
    both sides), its sessions and its sign-in attempts. The access log keeps its rows, which
    name people only by pseudonyms that no longer lead to anyone. Each app's section says
    what it erases (core.portability.erase_account)."""
    erase_account(user)
