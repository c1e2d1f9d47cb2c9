from django import template

from citysafe.core import nav

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The header's navigation for the signed-in user (core.nav)."""
    user = context["request"].user
    return nav.for_user(user) if user.is_authenticated else []
