"""`{% planning_paper page as paper %}`: the generated content of a Planungspapier for its templates.

A tag, because the page models cannot import the reads (planning.pages explains why).
"""

from django import template

from ..paper import PaperContent

register = template.Library()


@register.simple_tag
def planning_paper(page):
    return PaperContent(page)
