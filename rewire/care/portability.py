"""Sharing keeps personal data that is deliberately not in the person's export (each reason
below); erasing an account ends its shares on both sides."""

from django.db.models import Q

from rewire.care.models import Share
from rewire.core.portability import Section, register


@register
class CareSection(Section):
    name = "care"
    order = 60
    left_out = {
        # An unused sharing code (only its digest) for a clinician of this server: a credential
        # that means nothing on another server.
        "care.Invitation": "a credential of this server",
        # Consent given to a clinician's account on this server: it names another person's
        # account and means nothing elsewhere; the person shares again on a new server. The
        # Sharing page shows it.
        "care.Share": "consent to an account of this server, naming another person",
        # The server's append-only record of which clinician looked, and when (by pseudonym,
        # no key to the account). An import could not write it, and it names the clinician;
        # the person reads it on the Sharing page ("who saw my data"). Erasure keeps its rows,
        # which then name no one.
        "care.AccessLog": "the server's audit record, append-only",
    }

    def erase(self, user):
        # A clinician's account ends the shares its patients gave it, too.
        Share.objects.filter(Q(user=user) | Q(clinician=user)).delete()
        super().erase(user)
