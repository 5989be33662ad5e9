"""Template tags for the programme's pieces that appear on other apps' pages."""

from django import template

from rewire.program import actions
from rewire.program.models import SafetyMessage

register = template.Library()


@register.inclusion_tag("program/_support.html", takes_context=True)
def support_panel(context, message):
    """After a flare or a high-pain check-in: the person's own safety messages (or a few
    starter ones), the flare plan and somatic tracking, one tap away."""
    user = context["request"].user
    own = list(SafetyMessage.objects.for_user(user).values_list("text", flat=True)[:3])
    return {
        "message": message,
        "safety_messages": own or actions.course().starter_safety_messages[:2],
        "own": bool(own),
    }
