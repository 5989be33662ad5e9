"""The medicines statement (content/<lang>/medicines.yaml), for every page that shows it: the
start of a personal experiment and, on the programme's side, the flare plan."""

from django import template

from rewire.insights import actions

register = template.Library()


@register.inclusion_tag("insights/_medicines.html")
def medicines_statement():
    return {"statement": actions.medicines().statement}
