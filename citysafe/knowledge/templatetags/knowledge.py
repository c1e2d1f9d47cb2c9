"""Template filters other apps use for stored citations (see citysafe.knowledge.citations):
`{{ reference|citation }}` one stored reference; `{{ text|cite_links }}` every citation in a text."""
from django import template

from citysafe.knowledge.citations import citation_link, link_citations

register = template.Library()


@register.filter
def citation(reference: str):
    return citation_link(reference)


@register.filter
def cite_links(text: str):
    return link_citations(text)
