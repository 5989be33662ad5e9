"""Template tags for the programme's pieces that appear on other apps' pages."""

from django import template

from rewire.measures import actions as measures
from rewire.measures.gate import waiting_for
from rewire.program import actions
from rewire.program.models import SafetyMessage

register = template.Library()


@register.inclusion_tag("program/_support.html", takes_context=True)
def support_panel(context, message):
    """After a flare or a high-pain check-in: the person's own safety messages (or a few
    starter ones), the flare plan and somatic tracking, one tap away. Until the warning signs
    are answered (and any yes assessed), no message that pain is safe: the advice to get it
    checked, and the way to the warning signs, instead."""
    user = context["request"].user
    state = measures.programme_state(user)
    if state != measures.OPEN:
        return {"message": message, "state": state, "open": False, "waiting": waiting_for(state)}
    own = list(SafetyMessage.objects.for_user(user).values_list("text", flat=True)[:3])
    return {
        "message": message,
        "state": state,
        "open": True,
        "safety_messages": own or actions.course().starter_safety_messages[:2],
        "own": bool(own),
    }


@register.inclusion_tag("program/_writing_privacy.html", takes_context=True)
def writing_privacy(context):
    """Who can read the person's expressive writing: nobody, or the clinicians they share
    "writing" with, by name, with the way to change it."""
    from rewire.care.models import Share

    user = context["request"].user
    readers = [
        share.clinician.email
        for share in Share.objects.for_user(user)
        .filter(revoked_at__isnull=True)
        .select_related("clinician")
        .order_by("created_at")
        if "writing" in share.scopes
    ]
    return {"readers": readers}
