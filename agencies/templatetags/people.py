from django import template

register = template.Library()


@register.filter
def person(user):
    """A user as people call them: the full name, else the username; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
