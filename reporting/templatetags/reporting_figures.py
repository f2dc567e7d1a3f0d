from django import template

from reporting.models import display_value

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure as pages show it: «да»/«нет», a number with thin spaces, «—» for none."""
    return display_value(value)
