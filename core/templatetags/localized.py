"""The data's own names in the interface language: an agency's, a plan's, a section's or a
measure's Kazakh or English text (`<field>_kk`, `<field>_en`) when it is filled, the Russian one
otherwise — marked as Russian (`lang="ru"`, and a badge where the text is long enough to read)."""

from django import template
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.i18n import pick

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """`{{ agency|tr:"name" }}`: the text in the interface language, or the Russian one."""
    return pick(obj, field)[0] if obj is not None else ""


@register.filter
def short_name(agency) -> str:
    """The agency as a short label, in the interface language: its abbreviation, or its name."""
    return tr(agency, "abbreviation") or tr(agency, "name")


@register.simple_tag
def localized(obj, field: str, words: int | None = None, mark: bool = True):
    """`{% localized measure "title" words=25 %}`: the text, cut to `words` words; the Russian
    one inside `<span lang="ru">` with a badge «на русском языке» when the translation is
    missing."""
    text, russian = pick(obj, field)
    if words:
        text = Truncator(text).words(words)
    if not russian:
        return text
    if not mark:
        return format_html('<span lang="ru">{}</span>', text)
    return format_html(
        '<span lang="ru">{}</span> <span class="badge text-bg-light border fw-normal">{}</span>',
        text,
        _("на русском языке"),
    )
